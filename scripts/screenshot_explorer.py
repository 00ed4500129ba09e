"""Make docs/explorer.png: the timeline explorer notebook running live in JupyterLab.

What it does
    1. copies ``notebooks/02_timeline_explorer.ipynb`` into a temporary folder, pointing its
       ``parameters`` cell at the absolute path of ``data/cases/sample`` (the notebooks in the repository
       and the sample case are never written: autosave only touches the temporary copy);
    2. starts JupyterLab from the project's venv on 127.0.0.1 (its own token, settings and runtime
       folders in the temporary folder; news and update checks off);
    3. drives headless Chromium with Playwright: opens the copy, runs all cells, waits for the
       ipywidgets explorer, then uses it like a reviewer would: narrows the dates, picks two agencies
       and selects a flag so its evidence rows show;
    4. scrolls to the explorer and takes a screenshot 1600 pixels wide (the page laid out 2000 CSS
       pixels wide, device scale 0.8, so the A4 swimlane and the wide tables fit) and tall enough for
       the whole explorer (about 1700 pixels; ``--height 1000`` for a fixed height, which cuts off the
       evidence rows), shrinks it to a 256-colour PNG (pngquant when installed, Pillow otherwise) and
       stops Chromium and JupyterLab.

Extra installs (documentation tooling only: NOT project dependencies)
    * Chromium:   ``apt-get update && apt-get install -y chromium`` (optionally ``pngquant``)
    * Playwright: in any Python 3.10+ environment, e.g. a throwaway one:
          python3 -m venv /tmp/shotvenv && /tmp/shotvenv/bin/pip install playwright pillow
      Do not run ``playwright install``: the system Chromium (/usr/bin/chromium) is used.
    * The project venv (``.venv``) must have jupyterlab, ipywidgets and ``review`` installed
      (``pip install -e '.[notebooks]'`` or as the Makefile sets it up).

Rerun (from the repository root)
    /tmp/shotvenv/bin/python scripts/screenshot_explorer.py
    /tmp/shotvenv/bin/python scripts/screenshot_explorer.py --flag 8 --agency "Eastborough Police" \
        --start 2023-09-01 --end 2024-01-31 --out /tmp/explorer.png

Options: ``--port`` (default 8899), ``--jupyter`` (default .venv/bin/jupyter), ``--chromium``
(default /usr/bin/chromium), ``--width/--height`` (1600 x fit), ``--scale`` (0.8), ``--keep-tmp`` to
inspect the copy, the raw screenshot and jupyter.log.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "02_timeline_explorer.ipynb"
CASE_DIR = REPO / "data" / "cases" / "sample"
TOKEN = "explorer-screenshot"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(REPO / "docs" / "explorer.png"))
    p.add_argument("--port", type=int, default=8899)
    p.add_argument("--jupyter", default=str(REPO / ".venv" / "bin" / "jupyter"))
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--width", type=int, default=1600)
    p.add_argument("--height", type=int, default=0,
                   help="image height in pixels; default: tall enough for the whole explorer (about 1600)")
    p.add_argument("--scale", type=float, default=0.8,
                   help="device scale factor: the page is laid out in width/scale CSS pixels so the "
                        "A4-sized swimlane and the tables fit side to side in a width-pixel image")
    p.add_argument("--start", default="2023-11-01", help="explorer 'From' date (YYYY-MM-DD)")
    p.add_argument("--end", default="2023-12-31", help="explorer 'To' date (YYYY-MM-DD)")
    p.add_argument("--agency", action="append",
                   help="agency to select (repeatable); default: Eastborough Police and Northgate University Hospital")
    p.add_argument("--flag", type=int, default=6, help="flag number to select (1..n as in the flags table)")
    p.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the notebook to run")
    p.add_argument("--keep-tmp", action="store_true")
    args = p.parse_args(argv)
    if not args.agency:
        args.agency = ["Eastborough Police", "Northgate University Hospital"]
    return args


def prepare_copy(tmp: Path) -> Path:
    """Copy the notebook into `tmp/nb`, with absolute case_dir/out_dir and without jupytext pairing."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    nb.get("metadata", {}).pop("jupytext", None)  # no paired .py written next to the copy
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = f'case_dir = {str(CASE_DIR)!r}\nout_dir = {str(tmp / "reports")!r}\n'
            break
    else:
        raise SystemExit(f"{NOTEBOOK}: no cell tagged 'parameters'")
    nb_dir = tmp / "nb"
    nb_dir.mkdir()
    target = nb_dir / NOTEBOOK.name
    target.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return target


def lab_settings(tmp: Path) -> Path:
    """A JupyterLab user-settings folder: no news/update toasts over the screenshot."""
    settings = tmp / "lab-settings"
    notif = settings / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True)
    (notif / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    return settings


def start_lab(args, tmp: Path, nb_dir: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(lab_settings(tmp)),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
    )
    cmd = [
        args.jupyter, "lab", "--no-browser",
        f"--port={args.port}", "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={nb_dir}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # e.g. in a container
    log = open(tmp / "jupyter.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{args.port}/api/status?token={TOKEN}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"jupyter lab exited early; see {tmp / 'jupyter.log'}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    raise SystemExit("jupyter lab did not start within 60 s")


def stop_lab(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: the server and its kernels only
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def shoot(args, tmp: Path, notebook: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    url = f"http://127.0.0.1:{args.port}/lab/tree/{notebook.name}?token={TOKEN}&reset"
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp / "chromium-profile"),
            executable_path=args.chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": round(args.width / args.scale), "height": round((args.height or 1000) / args.scale)},
            device_scale_factor=args.scale,
        )
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.set_default_timeout(args.timeout * 1000)
            page.goto(url)
            page.wait_for_selector(".jp-Notebook .jp-Cell")
            # wait for the kernel session, then run everything through JupyterLab's own command
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " return w && w.sessionContext && w.sessionContext.session"
                " && w.sessionContext.session.kernel"
                " && w.sessionContext.session.kernel.status === 'idle'; }")
            page.evaluate("() => { const app = window.jupyterapp;"
                          " if (!app.shell.leftCollapsed) app.commands.execute('application:toggle-left-area'); }")
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            explorer = page.locator(".jp-OutputArea-output .widget-vbox").first
            explorer.wait_for(state="visible")
            page.wait_for_function(
                "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'")
            page.wait_for_selector(".jp-OutputArea-output .widget-vbox .widget-output img")  # the swimlane
            explorer.scroll_into_view_if_needed()

            # use it: dates, agencies, then a flag
            dates = explorer.locator(".widget-datepicker input[type=date]")
            dates.nth(0).fill(args.start)
            dates.nth(1).fill(args.end)
            agency = explorer.locator(".widget-select-multiple select").first
            agency.select_option(index=option_indexes(agency, lambda text: text in args.agency, args.agency))
            agency.evaluate("el => { el.scrollTop = el.scrollHeight; }")  # show the last selected too
            idle(page)
            flag = explorer.locator(".widget-dropdown select").first
            flag.select_option(index=option_indexes(flag, lambda text: text.startswith(f"{args.flag}. "),
                                                    f"flag {args.flag}")[:1])
            idle(page)
            explorer.locator(".widget-output table").nth(1).wait_for(state="visible")  # evidence rows
            page.wait_for_timeout(1500)  # let images decode and the layout settle

            if not args.height:  # grow the window until the whole explorer is in view
                extra = page.evaluate("""() => {
                    const el = document.querySelector('.jp-OutputArea-output .widget-vbox');
                    const panel = el.closest('.jp-WindowedPanel-outer') || el.closest('.jp-Notebook');
                    return el.getBoundingClientRect().height + 40 - panel.getBoundingClientRect().height;
                }""")
                size = page.viewport_size
                page.set_viewport_size({"width": size["width"], "height": size["height"] + max(0, round(extra))})
                page.wait_for_timeout(1000)
            # the explorer's top at the top of the notebook panel
            page.evaluate("""() => {
                const el = document.querySelector('.jp-OutputArea-output .widget-vbox');
                const cell = el.closest('.jp-Cell');
                cell.scrollIntoView({block: 'start'});
                const scroller = el.closest('.jp-WindowedPanel-outer') || el.closest('.jp-Notebook');
                const top = cell.querySelector('.jp-OutputArea').getBoundingClientRect().top
                            - scroller.getBoundingClientRect().top;
                scroller.scrollTop += top - 8;
            }""")
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            page.mouse.move(0, 0)
            page.wait_for_timeout(800)
            raw = tmp / "explorer-raw.png"
            page.screenshot(path=str(raw))
        finally:
            ctx.close()
    optimise(raw, out)


def option_indexes(select, wanted, what) -> list[int]:
    """Indexes of a <select>'s options whose text (ipywidgets writes no-break spaces) is wanted."""
    texts = [t.replace("\xa0", " ").strip() for t in select.locator("option").all_inner_texts()]
    found = [i for i, text in enumerate(texts) if wanted(text)]
    if not found:
        raise SystemExit(f"{what!r} is not among the options {texts}")
    return found


def idle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'")
    page.wait_for_timeout(500)


def optimise(raw: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    pngquant = shutil.which("pngquant")
    if pngquant:
        subprocess.run([pngquant, "--force", "--quality=70-95", "--speed=1", "--strip",
                        "--output", str(out), str(raw)], check=True)
    else:
        from PIL import Image

        Image.open(raw).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            out, optimize=True)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="explorer-shot-"))
    proc = None
    try:
        notebook = prepare_copy(tmp)
        proc = start_lab(args, tmp, notebook.parent)
        shoot(args, tmp, notebook, Path(args.out).resolve())
    finally:
        if proc is not None:
            stop_lab(proc)
        if args.keep_tmp:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
