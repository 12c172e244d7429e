"""Chart files for slides and documents: PNG (and SVG on request) that carry no dates,
byte-identical across runs, rendered on every core.

PNG and SVG are written without dates or software stamps; SVG ids use a fixed salt
(set by :func:`~dangjian_analysis.charts.theme.slide_theme`). :func:`render_charts` draws
a batch of figures in worker processes and also returns each chart without its title
(the band above the bottom of the figure's ``suptitle`` cut off the bitmap), for slides
and Word pages whose own title or caption names the chart.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

__all__ = ["save_chart", "png_bytes", "render_charts", "start_charts", "PendingCharts", "chart_title"]

#: Filled before the worker processes fork: they inherit the figures instead of pickling them.
_JOBS: list = []


def _stem(path: str | Path) -> Path:
    path = Path(path)
    return path.with_suffix("") if path.suffix.lower() in (".png", ".svg") else path


def _encode(rgb, dpi: int, level: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="png", dpi=(dpi, dpi), compress_level=level)
    return buffer.getvalue()


def _title_cut(fig, renderer, height: int) -> int:
    """Bitmap rows to cut for a copy without the title: those above the bottom of the
    ``suptitle``, when nothing else reaches into them; 0 otherwise."""
    title = getattr(fig, "_suptitle", None)
    if title is None or not title.get_visible() or not title.get_text():
        return 0
    bottom = title.get_window_extent(renderer).y0
    others = [a for a in (*fig.axes, *fig.legends, *fig.texts) if a is not title and a.get_visible()]
    tops = [box.y1 for box in (a.get_tightbbox(renderer) for a in others) if box is not None]
    if tops and max(tops) > bottom:
        return 0
    # a few rows past the title's bottom (anti-aliased descenders), never into anything else
    return max(0, min(int(height - bottom) + 4, int(height - max(tops, default=0))))


def _render(fig, stem: Path, dpi: int, svg: bool) -> dict:
    """Draw ``fig`` (a Figure, or a function that makes one, which is then closed) once at
    ``dpi``; write ``<stem>.png`` (and ``.svg``); return the paths, the title-less PNG bytes
    and the chart's title."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from .theme import slide_theme

    stem.parent.mkdir(parents=True, exist_ok=True)
    made = callable(fig)
    fig = fig() if made else fig
    with slide_theme():
        original = fig.get_dpi()
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgb = np.asarray(canvas.buffer_rgba())[..., :3]
        cut = _title_cut(fig, canvas.get_renderer(), rgb.shape[0])
        png = stem.with_name(stem.name + ".png")
        png.write_bytes(_encode(rgb, dpi, 3))
        bare = _encode(np.ascontiguousarray(rgb[cut:]), dpi, 1)
        fig.set_dpi(original)
        svg_path = None
        if svg:
            svg_path = stem.with_name(stem.name + ".svg")
            fig.savefig(svg_path, metadata={"Date": None, "Creator": None})
    title = chart_title(fig)
    if made:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return {"png": png, "svg": svg_path, "bare": bare, "title": title}


def _render_job(index: int) -> dict:
    fig, stem, dpi, svg = _JOBS[index]
    return _render(fig, stem, dpi, svg)


def _ignore_interrupt() -> None:
    """Worker initialiser: Ctrl+C reaches the whole process group; only the parent acts on it
    (it stops the workers, :meth:`PendingCharts.close`), so a worker never dies half-way alone."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class PendingCharts:
    """Charts being rendered by :func:`start_charts`; :meth:`result` waits for them.

    A failure or an interrupt while waiting stops the workers (:meth:`close`) before it goes on;
    a caller that stops before asking for the result calls :meth:`close` itself (``finally``), so
    that no worker still writes into a folder being removed.
    """

    def __init__(self, jobs, pool=None, pending=None):
        self._jobs, self._pool, self._pending = jobs, pool, pending

    def result(self) -> list[dict]:
        """The renderings, in the order of the jobs (see :func:`render_charts`)."""
        if self._pending is None:
            return [_render(*job) for job in self._jobs]
        try:
            done = [p.get() for p in self._pending]
        except BaseException:
            self.close()
            raise
        self._pool.close()
        self._pool.join()
        self._pool = None
        _JOBS.clear()
        return done

    def close(self) -> None:
        """Stop the workers still drawing (terminated) and wait until they have ended; nothing
        when they are done. Call it before removing the folder they write into."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            _JOBS.clear()


def start_charts(jobs, *, dpi: int = 200, svg: bool = False, workers: int | None = None) -> PendingCharts:
    """Start rendering ``jobs`` as :func:`render_charts` does and return at once, so that the
    caller can do other work while worker processes draw; ``.result()`` waits for them and
    ``.close()`` stops them. With one worker, or where processes cannot be forked, the charts are
    drawn in this process when ``.result()`` is called."""
    import multiprocessing
    import warnings

    jobs = [(fig, _stem(stem), dpi, svg) for fig, stem in jobs]
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return PendingCharts(jobs)
    _JOBS[:] = jobs
    pool = None
    try:
        with warnings.catch_warnings():     # fork beside a kernel's threads: the workers only draw
            warnings.simplefilter("ignore", DeprecationWarning)
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_interrupt)
        return PendingCharts(jobs, pool, [pool.apply_async(_render_job, (k,)) for k in range(len(jobs))])
    except BaseException:                   # interrupted while starting: no worker outlives us
        if pool is not None:
            pool.terminate()
            pool.join()
        _JOBS.clear()
        raise


def render_charts(jobs, *, dpi: int = 200, svg: bool = False, workers: int | None = None) -> list[dict]:
    """Render ``jobs`` — ``[(figure, path stem), ...]``, a figure being a Figure or a function
    that draws one — as ``<stem>.png`` at ``dpi`` (and ``<stem>.svg`` when ``svg``), in up to
    ``workers`` processes (default: the machine's cores).

    Returns
    -------
    list of dict
        In the order of ``jobs``: ``png`` and ``svg`` (Path or None), ``bare``, the PNG bytes
        without the title band (the whole picture when the title cannot be cut cleanly), and
        ``title``, the chart's title. The files are the same bytes whichever process drew them.

    Notes
    -----
    Workers are forked where the platform can (Linux), so neither figures nor drawing
    functions need be pickled; elsewhere, or for a single job, the charts are drawn in this
    process. :func:`start_charts` returns before the drawing is done.
    """
    return start_charts(jobs, dpi=dpi, svg=svg, workers=workers).result()


def chart_title(fig) -> str:
    """The text of the figure's ``suptitle`` ("" when it has none)."""
    title = getattr(fig, "_suptitle", None)
    return title.get_text() if title is not None else ""


def save_chart(fig, path: str | Path, *, dpi: int = 200, svg: bool = True) -> list[Path]:
    """Write ``fig`` as ``<path>.png`` (``dpi``, default 200) and, unless ``svg=False``,
    ``<path>.svg``; returns the paths written."""
    out = _render(fig, _stem(path), dpi, svg)
    return [out["png"], *([out["svg"]] if svg else [])]


def png_bytes(fig, *, dpi: int = 200) -> bytes:
    """``fig`` as PNG bytes at ``dpi`` (default 200), without a software stamp."""
    from .theme import slide_theme

    buffer = io.BytesIO()
    with slide_theme():
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
