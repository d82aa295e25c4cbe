"""A list of choices stored in one text column, filterable on SQLite and PostgreSQL alike.

ATMP types, availability and languages are short closed lists: a join table each
would cost three joins on every directory page, and PostgreSQL's ArrayField does
not exist on SQLite, where the quick tests run. The column holds the codes
separated by commas ("gtmp,sctmp"); ``field__has="gtmp"`` selects rows listing a code.
"""

from __future__ import annotations

from django import forms
from django.core import exceptions
from django.db import models

SEPARATOR = ","


class ChoiceListField(models.CharField):
    """A Python list of choice codes; the form shows one checkbox (or option) per choice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, (list, tuple)):
            return list(value)
        return [code for code in str(value).split(SEPARATOR) if code]

    def get_prep_value(self, value):
        if isinstance(value, (list, tuple)):
            # One order for one set, so equal selections compare equal in SQL too.
            known = [code for code, _label in self.flatchoices]
            return SEPARATOR.join(sorted(set(value), key=lambda c: known.index(c) if c in known else len(known)))
        return "" if value is None else str(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        known = {code for code, _label in self.flatchoices}
        unknown = [code for code in value if code not in known]
        if unknown:
            raise exceptions.ValidationError(
                "Not a valid choice: %(codes)s.", code="invalid_choice", params={"codes": ", ".join(unknown)}
            )
        if not value and not self.blank:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choices,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name.capitalize(),
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        # CharField.formfield would add max_length and a single-choice field; build ours directly.
        form_class = defaults.pop("form_class")
        defaults.pop("choices_form_class", None)
        return form_class(**defaults)


@ChoiceListField.register_lookup
class Has(models.Lookup):
    """``atmp_types__has="gtmp"``: the list contains the code."""

    lookup_name = "has"
    prepare_rhs = False  # the right-hand side is one code, not a list to join

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # ',' || column || ',' LIKE '%,' || code || ',%' — both backends speak ||.
        sql = f"(',' || {lhs} || ',') LIKE ('%%,' || {rhs} || ',%%')"
        return sql, [*lhs_params, *rhs_params]

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [str(value)])
