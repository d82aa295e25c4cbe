"""Builders for trials records in tests (factory_boy). Fictional data only."""

from __future__ import annotations

import factory

from trials.models import (
    AtmpType,
    CurationStatus,
    Disease,
    Location,
    LocationKind,
    PatientClassification,
    Phase,
    Product,
    RegistryKind,
    SponsorType,
    Target,
    Trial,
    TrialIdentifier,
    TrialStatus,
)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("code",)

    code = "DE"
    name = "Germany"
    kind = LocationKind.COUNTRY


class DiseaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disease
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test disease {n}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"TGT{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"TEST-ATMP-{n:04d}")
    atmp_type = AtmpType.GTMP_EX_VIVO
    atmp_type_text = "GTMP - ex vivo modified"
    patient_classification = PatientClassification.CANCER
    patient_classification_text = "cancer"
    disease_text = "B-ALL"
    target_text = "CD19"
    curation_status = CurationStatus.PUBLISHED

    @factory.post_generation
    def diseases(self, create, extracted, **kwargs):
        if create and extracted:
            self.diseases.set(extracted)

    @factory.post_generation
    def targets(self, create, extracted, **kwargs):
        if create and extracted:
            self.targets.set(extracted)

    @factory.post_generation
    def origin_locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.origin_locations.set(extracted)


class TrialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trial
        skip_postgeneration_save = True

    product = factory.SubFactory(ProductFactory)
    column_index = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"A fictional study number {n}")
    phase = Phase.PHASE_1
    phase_text = "Phase 1"
    status = TrialStatus.ONGOING
    status_text = "ongoing"
    sponsor = "Fictional University Hospital"
    sponsor_type = SponsorType.ACADEMIC
    principal_investigator = "Dr. Erika Mustermann"
    pi_email = "pi@trial.example.org"
    start_year = 2021

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)


class TrialIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrialIdentifier

    trial = factory.SubFactory(TrialFactory)
    registry = RegistryKind.NCT
    value = factory.Sequence(lambda n: f"NCT{n:08d}")
