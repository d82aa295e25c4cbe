"""Questions and answers: list, thread, ask, answer, accept, helpful marks, comments, follows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from experts.models import ExpertiseArea
from platform_site.permissions import expert_required, is_curator, is_expert
from trials.models import AtmpType

from ..forms import AnswerForm, CommentForm, QuestionForm
from ..models import Answer, AnswerComment, HelpfulMark, Question, QuestionFollow
from ..services import questions as service


def question_list(request):
    questions = Question.objects.visible_to(request.user).with_answer_count().prefetch_related("topics")
    topic, atmp_type = request.GET.get("topic", ""), request.GET.get("atmp_type", "")
    query = request.GET.get("q", "").strip()[:200]
    unanswered = request.GET.get("unanswered") == "1"
    if topic:
        questions = questions.filter(topics__slug=topic)
    if atmp_type in AtmpType.values:
        questions = questions.filter(atmp_type=atmp_type)
    if unanswered:
        questions = questions.filter(answer_count=0)
    if query:
        questions = questions.filter(Q(title__icontains=query) | Q(body__icontains=query))
    page = Paginator(questions, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/question_list.html",
        {
            "page_obj": page,
            "questions": page.object_list,
            "topics": ExpertiseArea.objects.all(),
            "atmp_types": AtmpType.choices,
            "params": {"topic": topic, "atmp_type": atmp_type, "q": query, "unanswered": unanswered},
        },
    )


def _visible_question(request, pk):
    return get_object_or_404(Question.objects.visible_to(request.user).select_related("author__profile"), pk=pk)


def _visible_answer(request, pk):
    return get_object_or_404(Answer.objects.visible_to(request.user).select_related("question"), pk=pk)


def question_detail(request, pk):
    question = _visible_question(request, pk)
    user = request.user
    answers = (
        Answer.objects.visible_to(user)
        .filter(question=question)
        .select_related("author__profile")
        .annotate(helpful_count=Count("helpful_marks", distinct=True))
    )
    if user.is_authenticated:
        answers = answers.annotate(marked=Exists(HelpfulMark.objects.filter(answer=OuterRef("pk"), user=user)))
    comments = AnswerComment.objects.filter(answer__in=answers).select_related("author__profile")
    if not is_curator(user):
        comments = comments.filter(Q(is_hidden=False) | Q(author_id=user.pk))
    answers = list(answers)
    for answer in answers:
        answer.visible_comments = [c for c in comments if c.answer_id == answer.pk]
    answers.sort(key=lambda a: (a.pk != question.accepted_answer_id, -a.helpful_count, a.pk))
    return render(
        request,
        "knowledge/question_detail.html",
        {
            "question": question,
            "answers": answers,
            "answer_form": AnswerForm(),
            "comment_form": CommentForm(),
            "can_answer": is_expert(user) and not question.is_locked,
            "is_asker": user.is_authenticated and question.author_id == user.pk,
            "following": user.is_authenticated and QuestionFollow.objects.filter(user=user, question=question).exists(),
        },
    )


@expert_required
def question_ask(request):
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = service.question_ask(author=request.user, **form.cleaned_data)
        messages.success(request, "Question posted; experts in its topics are told.")
        return redirect(question)
    return render(request, "knowledge/question_form.html", {"form": form})


def _thread_write(request, target, write):
    try:
        write()
    except service.ThreadError as error:
        messages.error(request, str(error))
    return redirect(target)


@require_POST
@expert_required
def answer_post(request, pk):
    question = _visible_question(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write an answer first.")
        return redirect(question)
    return _thread_write(
        request, question, lambda: service.answer_post(question=question, author=request.user, **form.cleaned_data)
    )


@require_POST
@login_required
def answer_accept(request, pk):
    answer = _visible_answer(request, pk)
    if answer.question.author_id != request.user.pk:
        raise PermissionDenied
    return _thread_write(request, answer, lambda: service.answer_accept(answer=answer, by=request.user))


@require_POST
@login_required
def answer_helpful(request, pk):
    answer = _visible_answer(request, pk)
    return _thread_write(request, answer, lambda: service.answer_mark_helpful(answer=answer, user=request.user))


@require_POST
@expert_required
def comment_post(request, pk):
    answer = _visible_answer(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a comment first (at most 2,000 characters).")
        return redirect(answer)
    return _thread_write(
        request, answer, lambda: service.comment_post(answer=answer, author=request.user, **form.cleaned_data)
    )


@require_POST
@login_required
def question_follow(request, pk):
    question = _visible_question(request, pk)
    following = service.question_follow_toggle(question=question, user=request.user)
    messages.success(request, "You follow this thread." if following else "You no longer follow this thread.")
    return redirect(question)


@require_POST
@login_required
def topic_follow(request, slug):
    topic = get_object_or_404(ExpertiseArea, slug=slug)
    following = service.topic_follow_toggle(topic=topic, user=request.user)
    messages.success(request, f"You {'follow' if following else 'no longer follow'} “{topic}”.")
    return redirect("knowledge:me")
