"""The trial and product lists count their facets in memory (trials/facet_index.py).
The GROUP BY queries of trials/facets.py are the reference: for any filters and any
role the two must give the same counts and totals, and the index must follow every
kind of write."""

from __future__ import annotations

import random
import threading

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trials import facet_index
from trials.facets import PRODUCT_FACETS, TRIAL_FACETS, facet_counts
from trials.filters import ProductFilter, TrialFilter
from trials.models import (
    AtmpType,
    CatalogueChange,
    CellSource,
    CurationStatus,
    GeneTransferMode,
    Location,
    PatientClassification,
    Phase,
    Product,
    SponsorType,
    Trial,
    TrialStatus,
)

from .factories import LocationFactory, ProductFactory, TrialFactory

pytestmark = pytest.mark.django_db

COUNTRIES = ["DE", "FR", "IT", "ES", "NL"]
STATUSES = [CurationStatus.PUBLISHED] * 3 + [CurationStatus.REJECTED]
DISEASES = ["acute myeloid leukaemia", "haemophilia B", "retinitis pigmentosa", "cartilage defect"]


def random_catalogue(owner, *, seed: int = 7, products: int = 24) -> None:
    """Products of every kind, some unpublished or owned, trials with and without each value."""
    rng = random.Random(seed)
    locations = [LocationFactory(code=code, name=f"Country {code}") for code in COUNTRIES]
    for i in range(products):
        product = ProductFactory(
            name=f"RANDOM-{i:03d}",
            atmp_type=rng.choice(AtmpType.values),
            patient_classification=rng.choice([*PatientClassification.values, ""]),
            cell_source=rng.choice([*CellSource.values, ""]),
            gene_transfer_mode=rng.choice([*GeneTransferMode.values, ""]),
            disease_text=rng.choice(DISEASES),
            # The first two are the owner's drafts: visible to them and to curators only.
            curation_status=CurationStatus.SUBMITTED if i < 2 else rng.choice(STATUSES),
            owner=owner if i < 2 or rng.random() < 0.3 else None,
            origin_locations=rng.sample(locations, rng.choice([0, 1, 1, 2])),
        )
        for column in range(rng.randint(1 if i < 2 else 0, 4)):
            TrialFactory(
                product=product,
                column_index=column,
                title=f"Study {i}-{column} in {product.disease_text}",
                phase=rng.choice([*Phase.values, ""]),
                status=rng.choice([*TrialStatus.values, ""]),
                sponsor_type=rng.choice([*SponsorType.values, ""]),
                first_in_human=rng.choice([True, False, None]),
                start_year=rng.choice([2015, 2019, 2023, None]),
                countries=rng.sample(locations, rng.choice([0, 1, 2, 3])),
            )
        product.refresh_highest_phase()


LISTS = {"trials": (TrialFilter, TRIAL_FACETS), "products": (ProductFilter, PRODUCT_FACETS)}


def in_memory(query: str, user, listing: str = "trials") -> tuple[dict, int]:
    filterset_class, specs = LISTS[listing]
    model = filterset_class._meta.model
    filterset = filterset_class(QueryDict(query), queryset=model.objects.visible_to(user))
    counted = facet_index.count_facets(filterset, user, specs)
    return {f.name: {o.value: o.count for o in f.options} for f in counted.facets}, counted.total


def by_sql(query: str, user, listing: str = "trials") -> tuple[dict, int]:
    filterset_class, specs = LISTS[listing]
    visible = filterset_class._meta.model.objects.visible_to(user)
    facets = facet_counts(filterset_class=filterset_class, data=QueryDict(query), queryset=visible, specs=specs)
    total = filterset_class(QueryDict(query), queryset=visible).qs.count()
    return {f.name: {o.value: o.count for o in f.options} for f in facets}, total


def in_memory_facet(name: str):
    filterset = TrialFilter(QueryDict(""), queryset=Trial.objects.all())
    facets = facet_index.count_facets(filterset, AnonymousUser(), TRIAL_FACETS).facets
    return next(f for f in facets if f.name == name)


def several(values):
    return st.lists(st.sampled_from(values), max_size=3, unique=True)


queries = st.fixed_dictionaries(
    {},
    optional={
        "phase": several([*Phase.values, "phase_99"]),
        "status": several(TrialStatus.values),
        "sponsor_type": several(SponsorType.values),
        "atmp_type": several(AtmpType.values),
        "patient_classification": several(PatientClassification.values),
        "cell_source": several(CellSource.values),
        "country": several([*COUNTRIES, "XX"]),
        "origin": several([*COUNTRIES, "XX"]),
        "first_in_human": st.sampled_from(["yes", "no", "maybe", ""]),
        "start_year": several(["2015", "2019", "2023", "1999", "abcd", "99999"]),
        "q": st.sampled_from(["leukaemia", "haemophilia", "Study 3", "nothing-like-this"]),
        "disease": st.sampled_from(["pigmentosa", "cartilage"]),
        "gene_transfer_mode": several(GeneTransferMode.values),
    },
)


def encode(query: dict) -> str:
    data = QueryDict(mutable=True)
    for name, value in query.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data.urlencode()


@pytest.mark.parametrize("listing", ["trials", "products"])
@pytest.mark.parametrize("role", ["anonymous", "owner", "curator"])
def test_counts_in_memory_equal_the_group_by_queries(cast, owner, role, listing):
    random_catalogue(owner)
    user = cast[role] or AnonymousUser()

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(query=queries)
    def same(query):
        encoded = encode(query)
        assert in_memory(encoded, user, listing) == by_sql(encoded, user, listing), encoded

    same()


@pytest.mark.parametrize("model", [Trial, Product])
def test_each_role_sees_the_records_the_database_lets_it_see(cast, owner, model):
    random_catalogue(owner)
    index = facet_index.current(model, LISTS["trials" if model is Trial else "products"][1])
    for role, user in cast.items():
        user = user or AnonymousUser()
        expected = set(model.objects.visible_to(user).values_list("pk", flat=True))
        assert set(index.ids[index.visible(user)].tolist()) == expected, role


def phases(user=None) -> dict:
    return in_memory("", user or AnonymousUser())[0]["phase"]


@pytest.fixture
def one_trial(db):
    return TrialFactory(product=ProductFactory(), phase=Phase.PHASE_1, countries=[LocationFactory()])


def test_follows_saves_and_queryset_updates(one_trial):
    assert phases() == {"phase_1": 1}
    one_trial.phase = Phase.PHASE_2
    one_trial.save()
    assert phases() == {"phase_2": 1}
    Trial.objects.update(phase=Phase.PHASE_3)  # no signals
    assert phases() == {"phase_3": 1}


def test_follows_bulk_inserts_deletes_and_raw_sql(one_trial):
    Trial.objects.bulk_create([Trial(product=one_trial.product, column_index=2, phase=Phase.PHASE_1)])
    assert phases() == {"phase_1": 2}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE trials_trial SET phase = %s WHERE id = %s", [Phase.PHASE_4, one_trial.pk])
    assert phases() == {"phase_1": 1, "phase_4": 1}
    one_trial.delete()
    assert phases() == {"phase_1": 1}


def test_follows_publication_and_many_to_many_changes(one_trial):
    product = one_trial.product
    product.curation_status = CurationStatus.SUBMITTED
    product.save()
    assert phases() == {}
    product.curation_status = CurationStatus.PUBLISHED
    product.save()
    one_trial.countries.add(LocationFactory(code="FR", name="France"))
    product.origin_locations.add(LocationFactory(code="IT", name="Italy"))
    facets = in_memory("", AnonymousUser())[0]
    assert facets["country"] == {"DE": 1, "FR": 1}
    assert facets["origin"] == {"IT": 1}
    Location.objects.filter(code="FR").update(name="République française")
    country = in_memory_facet("country")
    assert {o.value: o.label for o in country.options}["FR"] == "République française"


def test_a_rolled_back_write_never_leaves_its_mark(one_trial):
    before = facet_index.change_summary()
    with transaction.atomic():
        Trial.objects.update(phase=Phase.PHASE_2)
        during = facet_index.change_summary()
        transaction.set_rollback(True)
    assert facet_index.change_summary() == before != during
    Trial.objects.update(phase=Phase.PHASE_3)
    # Even where the database hands out the rolled-back id again, the token differs.
    assert facet_index.change_summary() not in (before, during)


def test_a_build_is_shared_through_the_cache(one_trial, django_assert_num_queries):
    facet_index.current(Trial, TRIAL_FACETS)
    facet_index._built.clear()  # as in another process
    with django_assert_num_queries(1):  # the change log only
        index = facet_index.current(Trial, TRIAL_FACETS)
    assert index.ids.tolist() == [one_trial.pk]


def test_an_empty_catalogue_counts_nothing(db):
    facets, total = in_memory("phase=phase_1&q=anything", AnonymousUser())
    assert total == 0
    assert facets["phase"] == {"phase_1": 0}  # still listed, so it can be unticked


def test_a_long_change_log_is_pruned_before_a_rebuild(one_trial, monkeypatch):
    monkeypatch.setattr(facet_index, "PRUNE_ABOVE", 5)
    for phase in [Phase.PHASE_2, Phase.PHASE_3, Phase.PHASE_1, Phase.PHASE_2, Phase.PHASE_3, Phase.PHASE_4]:
        Trial.objects.update(phase=phase)
    assert CatalogueChange.objects.count() > 5
    newest = CatalogueChange.objects.latest("pk")
    assert phases() == {"phase_4": 1}
    assert list(CatalogueChange.objects.values_list("token", flat=True)) != [newest.token]  # one new row
    assert CatalogueChange.objects.get().pk > newest.pk
    built = facet_index.current(Trial, TRIAL_FACETS)
    assert facet_index.current(Trial, TRIAL_FACETS) is built  # built at the pruned log: no second build
    Trial.objects.update(phase=Phase.PHASE_1)
    assert phases() == {"phase_1": 1}  # a write after pruning is still seen


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_commit_that_overtakes_an_earlier_transaction_is_seen_twice():
    """PostgreSQL hands out change-log ids in statement order but commits in any order: a
    transaction that wrote first and commits last leaves a row below the newest one. The
    count in the summary is what notices it."""
    if connection.vendor != "postgresql":
        pytest.skip(reason="SQLite serialises writers: no commit can overtake another (runs in make test-services)")
    trial = TrialFactory(product=ProductFactory(), phase=Phase.PHASE_1)
    wrote, commit = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                Trial.objects.filter(pk=trial.pk).update(title="written first, committed last")
                wrote.set()
                commit.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert wrote.wait(10)
    Product.objects.update(name="written second, committed first")
    before = facet_index.change_summary()
    commit.set()
    writer.join(10)
    after = facet_index.change_summary()
    assert before.split(":")[1:] == after.split(":")[1:]  # the newest row is the same...
    assert after != before  # ...but the summary still changed


@pytest.mark.parametrize("share", [0.001, 0.05, 0.5, 1.0])
def test_both_ways_of_counting_a_column_agree(monkeypatch, share):
    """FacetColumn.counts picks out a few records or weights them all; the answer is the same."""
    rng = np.random.default_rng(3)
    size = 2_000
    single = facet_index.FacetColumn(*facet_index._encode(list(rng.choice(["a", "b", "c", ""], size))))
    rows = np.sort(rng.integers(0, size, 5_000))
    pairs = np.unique(rows * 10 + rng.integers(1, 6, 5_000))
    many = facet_index.FacetColumn(
        values=list("vwxyz"),
        keys=list("vwxyz"),
        codes=pairs % 10,
        rows=pairs // 10,
        starts=np.searchsorted(pairs // 10, np.arange(size + 1)),
    )
    among = rng.random(size) < share
    expected_many = np.bincount(many.codes[among[many.rows]], minlength=6)[1:]
    for column, expected in [(single, None), (many, expected_many)]:
        if expected is None:
            expected = np.bincount(column.codes[among], minlength=len(column.values) + 1)[1:]
        answers = []
        for threshold in (0.0, 2.0):  # always weight, always pick out
            monkeypatch.setattr(facet_index, "SPARSE_BELOW", threshold)
            answers.append(column.counts(among).tolist())
        assert answers == [expected.tolist()] * 2


# --- Patching instead of rebuilding (trials/facet_patch.py) ----------------------------
def contents(index) -> dict:
    """Every record's facet values by key, however the arrays happen to number them."""
    records = {}
    for row, pk in enumerate(index.ids.tolist()):
        values = {}
        for name, column in index.columns.items():
            if column.rows is None:
                codes = [int(column.codes[row])]
            else:
                codes = column.codes[column.starts[row] : column.starts[row + 1]].tolist()
            values[name] = sorted(column.keys[code - 1] for code in codes if code)
        records[pk] = (bool(index.published[row]), int(index.owner_ids[row]), values)
    return records


def counted(index, specs, user, selected: dict) -> tuple:
    result = index.count(specs, selected, index.visible(user), QueryDict())
    return result.total, [(f.name, [(o.value, o.count) for o in f.options]) for f in result.facets]


def create(owner, rng):
    product = ProductFactory(atmp_type=AtmpType.values[0], owner=owner, origin_locations=[Location.objects.first()])
    TrialFactory(product=product, phase=Phase.PHASE_2, start_year=2031, countries=list(Location.objects.all()[:2]))


def update_facet_fields(owner, rng):
    trial = Trial.objects.order_by("pk")[3]
    trial.phase, trial.status, trial.start_year = Phase.PHASE_4, TrialStatus.values[-1], 1999  # 1999: a new year
    trial.save()
    Product.objects.filter(pk=Product.objects.order_by("pk")[5].pk).update(cell_source=CellSource.values[0])


def change_countries(owner, rng):
    trial = Trial.objects.filter(countries__isnull=False).order_by("pk").first()
    trial.countries.remove(trial.countries.first())
    trial.countries.add(LocationFactory(code="PT", name="Portugal"))  # a new value for the column
    Product.objects.order_by("pk")[4].origin_locations.set(Location.objects.filter(code__in=["DE", "PT"]))


def move_a_trial(owner, rng):
    trial = Trial.objects.order_by("-pk").first()
    Trial.objects.filter(pk=trial.pk).update(product=Product.objects.exclude(pk=trial.product_id).first())


def unpublish_and_publish(owner, rng):
    products = list(Product.objects.order_by("pk")[2:4])
    Product.objects.filter(pk=products[0].pk).update(curation_status=CurationStatus.SUBMITTED)
    Product.objects.filter(pk=products[1].pk).update(curation_status=CurationStatus.PUBLISHED, owner=None)


def delete(owner, rng):
    Trial.objects.order_by("pk").first().delete()
    Product.objects.order_by("-pk").first().delete()  # and its trials, by cascade


WRITES = [create, update_facet_fields, change_countries, move_a_trial, unpublish_and_publish, delete]


@pytest.mark.parametrize("listing", ["trials", "products"])
def test_a_patched_index_equals_a_full_rebuild(cast, owner, listing):
    """Runs on SQLite and, with DATABASE_URL set (make test-services), on PostgreSQL's triggers."""
    random_catalogue(owner)
    filterset_class, specs = LISTS[listing]
    model = filterset_class._meta.model
    index = facet_index.current(model, specs)
    rng = random.Random(3)
    for write in WRITES:
        write(owner, rng)
        log = facet_index._change_log()
        patched = facet_index.patched(model, specs, index, log)
        assert patched is not None, write.__name__
        rebuilt = facet_index.build(model, specs)
        assert contents(patched) == contents(rebuilt), write.__name__
        for user in (AnonymousUser(), cast["owner"], cast["curator"]):
            for selected in ({}, {"phase": ["phase_2", "phase_4"], "country": ["DE", "PT"]}):
                assert counted(patched, specs, user, selected) == counted(rebuilt, specs, user, selected)
        patched.log = log
        index = patched
    # And through the request path: the patched index serves the page, equal to the GROUP BYs.
    for query in ["", "phase=phase_2&country=PT", "q=leukaemia&atmp_type=" + AtmpType.values[0]]:
        assert in_memory(query, cast["curator"], listing) == by_sql(query, cast["curator"], listing), query


def test_rebuilds_when_a_patch_cannot_be_trusted(one_trial, monkeypatch):
    index = facet_index.current(Trial, TRIAL_FACETS)
    Trial.objects.update(phase=Phase.PHASE_2)
    assert facet_index.patched(Trial, TRIAL_FACETS, index, facet_index._change_log()) is not None
    Location.objects.update(name="Renamed")  # every record with the location shows a new name
    assert facet_index.patched(Trial, TRIAL_FACETS, index, facet_index._change_log()) is None
    index = facet_index.current(Trial, TRIAL_FACETS)
    facet_index.prune_change_log()  # the rows since the build are gone
    assert facet_index.patched(Trial, TRIAL_FACETS, index, facet_index._change_log()) is None
    index = facet_index.current(Trial, TRIAL_FACETS)
    monkeypatch.setattr(facet_index, "MOST_CHANGES", 2)
    TrialFactory.create_batch(3, product=one_trial.product)
    assert facet_index.patched(Trial, TRIAL_FACETS, index, facet_index._change_log()) is None
    assert phases() == {"phase_2": 1, "phase_1": 3}  # rebuilt, not stale
