"""The Dask recipe: a local cluster of two worker processes gives the plain CLI's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_paths import FIXTURES

from cleaner.cli import main

distributed = pytest.importorskip("distributed")


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as dask_client:
        yield dask_client
    cluster.close()


def test_local_cluster_matches_the_cli_byte_for_byte(client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cleaner.dask import clean_paths

    corpus = tmp_path / "corpus"
    (corpus / "seeds").mkdir(parents=True)
    for seed in (FIXTURES / "seeds").iterdir():
        (corpus / "seeds" / seed.name).write_bytes(seed.read_bytes())
    lines = [f'{{"id": {n}, "text": "fbpx\\nRecord {n} caf\\u00c3\\u00a9  "}}' for n in range(700)]
    (corpus / "shard.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(client.scheduler_info()["workers"]) == 2

    outcomes = clean_paths([corpus, tmp_path / "missing.txt"], tmp_path / "dask", client=client, partitions=4)
    assert main(["fix", str(corpus), "-o", str(tmp_path / "cli"), "-q"]) == 0
    assert tree(tmp_path / "dask") == tree(tmp_path / "cli")
    assert [outcome.status for outcome in outcomes][-1] == "failed"
    assert {outcome.status for outcome in outcomes[:-1]} == {"changed"}


def test_clean_bag_cleans_texts(client) -> None:  # type: ignore[no-untyped-def]
    import dask.bag

    from cleaner.dask import clean_bag

    bag = dask.bag.from_sequence(["fbpx\nHello  ", "caf\u00c3\u00a9"], npartitions=2)
    results = clean_bag(bag).compute(scheduler=client.get)
    assert [result["text"] for result in results] == ["Hello\n", "café\n"]
    assert results[0]["edits"][0]["stage"] == "boilerplate"
