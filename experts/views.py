from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.generic import DetailView, ListView

from .forms import ExpertProfileForm
from .models import ExpertProfile


class ExpertListView(ListView):
    """Public list of approved experts who chose to be listed. No e-mail addresses."""

    template_name = "experts/index.html"
    context_object_name = "profiles"
    paginate_by = 24

    def get_queryset(self):
        return ExpertProfile.objects.public().select_related("user")


class ExpertDetailView(DetailView):
    template_name = "experts/detail.html"
    context_object_name = "profile"

    def get_queryset(self):
        return ExpertProfile.objects.public().select_related("user")


@login_required
def profile_edit(request):
    profile = request.user.profile
    form = ExpertProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("experts:me")
    return render(request, "experts/me.html", {"form": form, "profile": profile})
