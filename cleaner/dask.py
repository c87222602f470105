"""Running cleaner on a Dask cluster: the recipe for corpora one machine cannot clean in time.

cleaner does not schedule work across machines; Dask does. This module only maps cleaner's own
per-input function over a ``dask.bag``, so a cluster produces the same bytes as ``cleaner fix``:

>>> from distributed import Client                      # doctest: +SKIP
>>> from cleaner.dask import clean_paths                # doctest: +SKIP
>>> client = Client("scheduler-address:8786")           # doctest: +SKIP
>>> outcomes = clean_paths(["corpus/"], "cleaned/", client=client)  # doctest: +SKIP

(``LocalCluster()`` in place of the address runs it on one machine.)

Every worker must see the input and output paths (a shared or network file system, or object
storage mounted as one), and have ``cleaner`` installed (``pip install 'cleaner[dask]'``).
For data already in Dask, :func:`clean_bag` cleans a bag of texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaner.corpus import InputError, InputFile, discover
from cleaner.pipeline import Options, cached_pipeline, options_from_kwargs
from cleaner.runner import Outcome, RunSettings, _failed, process_input


def _require_dask() -> Any:
    try:
        import dask.bag
    except ImportError:
        raise ImportError("cleaner.dask needs Dask: pip install 'cleaner[dask]'") from None
    return dask.bag


def clean_paths(paths: Sequence[str | Path], output: str | Path, *, options: Options | None = None,
                client: Any = None, partitions: int | None = None, mode: str = "fix",
                text_field: str = "text", id_field: str | None = "id") -> list[Outcome]:
    """Clean files and shards on a Dask cluster; outcomes in input order, as ``cleaner fix`` gives them."""
    bag_module = _require_dask()
    settings = RunSettings(options=options or Options(), mode=mode, output=Path(output),
                           text_field=text_field, id_field=id_field).with_fingerprint()
    found = list(discover([str(path) for path in paths]))
    inputs = [item for item in found if isinstance(item, InputFile)]
    bag = bag_module.from_sequence(inputs, npartitions=partitions or max(1, min(len(inputs), 64)))
    computed = bag.map(lambda item: process_input(settings, item)).compute(
        **({"scheduler": client.get} if client is not None else {}))
    by_display = {outcome.display: outcome for outcome in computed}
    return [_failed(item.display, item.reason) if isinstance(item, InputError) else by_display[item.display]
            for item in found]


def clean_bag(texts: Any, **options: Any) -> Any:
    """A bag of texts -> a bag of ``{"text", "edits", "warnings"}`` dicts (edits as change-log records)."""
    _require_dask()
    frozen = options_from_kwargs(options)

    def clean(text: str) -> dict[str, Any]:
        from cleaner.changelog import document_records

        result = cached_pipeline(frozen).clean_text(text)
        return {"text": result.text, "edits": document_records(result), "warnings": len(result.warnings)}

    return texts.map(clean)
