"""The same answers on every store: memory, on-disk Oxigraph, and a real SPARQL server."""

from __future__ import annotations

import pytest

import iei_onto as iei
from iei_onto.errors import InputError
from iei_onto.queries import check_no_service
from iei_onto.store import bind_rows, bind_values, query_form, where_group_start

from .conftest import DEMO


def test_bind_values_goes_into_the_outermost_where_group():
    text = 'PREFIX x: <http://x/#{}>\nSELECT ?a WHERE { ?a ?b "}" { SELECT ?c WHERE { ?c ?d ?e } } }'
    bound = bind_values(text, {"b": iei.store.ox.NamedNode("http://x/p")})
    assert bound.index("VALUES (?b) { (<http://x/p>) }") == where_group_start(text) + 1
    assert query_form("# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_variables_and_prefixed_names_are_never_keywords():
    text = ("PREFIX ask: <http://x/>\nPREFIX where: <http://x/w#>\n"
            "CONSTRUCT { ?select ask:where where:from } WHERE { ?select ask:service ?service }")
    assert query_form(text) == "CONSTRUCT"
    assert text[where_group_start(text):].startswith(" ?select ask:service")
    check_no_service(text, "q.rq")  # ?service and ask:service name no federated query
    with pytest.raises(InputError, match="SERVICE"):
        check_no_service(text.replace("?select ask:service", "SERVICE <http://x/> {} ?select ask:s"),
                         "q.rq")


def test_bound_values_cannot_change_the_query():
    store = iei.MemoryStore()
    store.load(b'<http://x/a> <http://x/name> "A" .\n<http://x/b> <http://x/name> "B" .\n', "nt")
    hostile = iei.store.ox.Literal('A" } UNION { ?s ?p ?o } #')
    text = "SELECT ?s WHERE { ?s <http://x/name> ?name }"
    assert list(store.query(bind_values(text, {"name": hostile}))) == []
    assert list(store.query(text, {"name": hostile})) == []


def test_bound_rows_answer_for_each_row_at_once():
    ox = iei.store.ox
    store = iei.MemoryStore()
    store.load('<http://x/a> <http://x/name> "甲" .\n<http://x/b> <http://x/name> "B" .\n'
               '<http://x/c> <http://x/name> "C" .\n', "nt")
    text = "SELECT ?s ?name WHERE { ?s <http://x/name> ?name } ORDER BY ?s"
    rows = [(ox.Literal("甲"),), (ox.Literal("C"),), (ox.Literal('B" } UNION { ?s ?p ?o } #'),)]
    answer = [(s.value, name.value) for s, name in store.query(bind_rows(text, ["name"], rows))]
    assert answer == [("http://x/a", "甲"), ("http://x/c", "C")]


def _classification(kg: iei.KnowledgeGraph) -> list[dict]:
    return [c.to_dict() for c in kg.classify()]


@pytest.fixture(scope="module")
def memory_answer():
    return _classification(iei.load(DEMO))


def test_disk_store_gives_the_same_classification(tmp_path, memory_answer):
    kg = iei.load(DEMO, store=iei.DiskStore(tmp_path / "db"))
    assert _classification(kg) == memory_answer
    assert len(memory_answer) == 66


def test_optimize_compacts_a_disk_store_and_keeps_its_triples(tmp_path):
    """Each bulk load adds RocksDB files, as each rule's result does; after ``optimize`` the
    store has as few files as one load of the same triples, compacted, and every triple.
    (RocksDB also compacts by itself in the background, soon after the loads: comparing the
    files before and after ``optimize`` raced with it.)"""
    pieces = ["".join(f'<http://x/{part}/{i}> <http://x/p> "名{i}" .\n' for i in range(500))
              for part in range(5)]
    store, whole = iei.DiskStore(tmp_path / "pieces"), iei.DiskStore(tmp_path / "whole")
    for piece in pieces:
        store.load(piece, "nt")
    whole.load("".join(pieces), "nt")
    before = sorted(str(t) for t in store.triples())
    store.optimize()
    whole.optimize()
    assert sorted(str(t) for t in store.triples()) == before and len(before) == 2500
    assert len(list((tmp_path / "pieces").glob("*.sst"))) == len(list((tmp_path / "whole").glob("*.sst")))
    iei.MemoryStore().optimize()  # nothing to do in memory


def test_disk_store_keeps_the_data_between_runs(tmp_path, memory_answer):
    path = tmp_path / "db"
    first = iei.load(DEMO, store=iei.DiskStore(path))
    first.reason()
    first.store.flush()
    del first
    import gc

    gc.collect()
    reopened = iei.KnowledgeGraph(iei.DiskStore(path))
    assert _classification(reopened) == memory_answer


def test_sparql_server_gives_the_same_classification(oxigraph_server, memory_answer):
    store = iei.EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    kg = iei.load(DEMO, store=store)
    assert len(store) > 1000
    assert _classification(kg) == memory_answer
    # what reasoning is still to do is noted in the server's store, read back through the protocol
    from iei_onto.reasoning import TO_DO_FLOWS, still_to_do

    classified = iei.KnowledgeGraph.open(store)
    assert classified.reasoning is None and still_to_do(store) == TO_DO_FLOWS
    assert list(classified.reason().steps) == ["implied flows", "OWL 2 RL (sparql-goals)"]
    assert still_to_do(store) is None and iei.KnowledgeGraph.open(store).reasoning.engine == "stored"


def test_a_graph_reasoned_elsewhere_is_queried_as_it_is_without_writing(oxigraph_server, demo_kg):
    """A server holding a reasoned graph without IEI's note (say ``graph.ttl`` loaded into it)
    is used as it is: nothing is written, so a read-only endpoint is enough."""
    iei.EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update").load(
        "".join(demo_kg.store.ntriples_lines()), "nt")
    read_only = iei.EndpointStore(oxigraph_server + "/query", oxigraph_server + "/no-updates-here")
    kg = iei.KnowledgeGraph.open(read_only)
    assert kg.reasoning is not None and kg.reasoning.engine == "stored"
    answer = kg.query("two_way_partnerships").rows()
    assert answer == demo_kg.query("two_way_partnerships").rows() and answer


def test_a_classified_disk_store_is_reasoned_once_and_then_used_as_it_is(tmp_path, memory_answer):
    """``iei classify --store`` runs only the classification rules; the next command that needs
    the rest adds the implied flows and the OWL 2 RL step alone, and after that the store is
    used as it is."""
    import gc
    import subprocess
    import sys
    from pathlib import Path

    from iei_onto.reasoning import TO_DO_ALL, TO_DO_FLOWS, is_classified, still_to_do

    iei_command = str(Path(sys.executable).with_name("iei"))
    path = tmp_path / "db"
    first = subprocess.run([iei_command, "classify", str(DEMO), "--store", str(path), "--format", "json"],
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([iei_command, "classify", "--store", str(path), "--format", "json"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    classified = iei.KnowledgeGraph.open(iei.DiskStore(path))
    assert classified.reasoning is None
    assert is_classified(classified.store) and still_to_do(classified.store) == TO_DO_FLOWS
    assert _classification(classified) == memory_answer
    answer = classified.query("two_way_partnerships").rows()
    # classify.ru did not run again
    assert list(classified.reasoning.steps) == ["implied flows", "OWL 2 RL (sparql-goals)"]
    assert answer == iei.load(DEMO).query("two_way_partnerships").rows() and answer
    del classified
    gc.collect()
    reopened = iei.KnowledgeGraph.open(iei.DiskStore(path))
    assert reopened.reasoning is not None and reopened.reasoning.engine == "stored"
    assert _classification(reopened) == memory_answer
    del reopened
    gc.collect()
    reloaded = iei.load(DEMO, store=iei.DiskStore(path))  # new data: the mark no longer holds
    assert still_to_do(reloaded.store) == TO_DO_ALL and reloaded.reasoning is None


def test_read_ahead_gives_every_row_in_order_from_a_second_thread():
    import threading

    from iei_onto.store import read_ahead

    store = iei.MemoryStore()
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    store.load("".join(f'<http://x/{i:03d}> <http://x/n> "{i}"^^{integer} .\n' for i in range(250)), "nt")
    text = "SELECT ?s ?n WHERE { ?s <http://x/n> ?n } ORDER BY ?n"
    threads = set()

    def query():
        threads.add(threading.current_thread().name)
        return store.query(text)

    rows = [(s.value, int(n.value)) for s, n in read_ahead(query, batch=7, depth=2)]
    assert rows == [(s.value, int(n.value)) for s, n in store.query(text)] and len(rows) == 250
    assert threads == {"iei-read-ahead"}


def test_read_ahead_raises_the_error_of_the_query_and_stops_when_the_caller_does():
    import itertools
    import threading

    from iei_onto.store import read_ahead

    store = iei.MemoryStore()
    with pytest.raises(iei.InputError, match="SPARQL syntax error"):
        list(read_ahead(lambda: store.query("SELECT WHERE {")))
    taken = []

    def endless():
        for i in itertools.count():
            taken.append(i)
            yield i

    rows = read_ahead(endless, batch=10, depth=2)
    assert list(itertools.islice(rows, 25)) == list(range(25))
    rows.close()
    assert not [t for t in threading.enumerate() if t.name == "iei-read-ahead"]
    assert len(taken) <= 10 * (2 + 3) + 1  # the batches waiting, handed over and being taken
