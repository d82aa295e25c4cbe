"""The API's default filter backend (settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"])."""

from django_filters.rest_framework import DjangoFilterBackend


class EmptyValuesMeanNoFilter(DjangoFilterBackend):
    """``?country=&origin=`` means no filter, as a form with untouched fields sends it (not a 400)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        for key in list(data.keys()):
            values = [value for value in data.getlist(key) if value != ""]
            if values:
                data.setlist(key, values)
            else:
                del data[key]
        kwargs["data"] = data
        return kwargs
