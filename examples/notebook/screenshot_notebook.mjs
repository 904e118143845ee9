// Takes examples/figures/notebook_sliders.png: a screenshot of the live notebook
// (integrate_and_fire.ipynb) in headless Chromium, all cells run, cropped to scenario 1 as a user
// sees it: its heading, its code cell, its ipywidgets sliders and dropdowns, and its figure.
//
// Needs (Debian 12): python3-notebook, jupyter-nbextension-jupyter-js-widgets, chromium,
// the built module (cmake --workflow --preset notebook), and playwright-core from npm,
// installed outside the repository:
//     mkdir -p /tmp/shot && (cd /tmp/shot && npm install playwright-core)
//     NODE_PATH=/tmp/shot/node_modules node examples/notebook/screenshot_notebook.mjs
// run from the repository's root. It starts a token-less notebook server on localhost:8899 on a
// scratch copy of the notebook, and stops it and the browser when done.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH ?? process.cwd(), "x.js"));
const { chromium } = require("playwright-core");

const root = process.cwd();
const port = 8899;
const out = path.join(root, "examples/figures/notebook_sliders.png");
// a copy in a scratch folder, so that autosave never touches the repository's notebook
const scratch = mkdtempSync(path.join(os.tmpdir(), "nbshot-"));
copyFileSync(path.join(root, "examples/notebook/integrate_and_fire.ipynb"), path.join(scratch, "nb.ipynb"));

const server = spawn("/usr/bin/python3", ["-m", "notebook", "--no-browser", `--port=${port}`,
  "--ip=127.0.0.1", "--NotebookApp.token=", "--NotebookApp.password=", "--allow-root",
  `--notebook-dir=${scratch}`],
  { env: { ...process.env, PYTHONPATH: path.join(root, "build/python/module") }, stdio: "ignore" });
let browser;
try {
  // wait for the server
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/api`)).ok) break; } catch {}
    if (i > 120) throw new Error("notebook server did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 2400 }, deviceScaleFactor: 1 });
  await page.goto(`http://127.0.0.1:${port}/notebooks/nb.ipynb`);
  // the kernel connected and the widgets extension registered (else "Widget Javascript not detected")
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.is_connected?.() &&
    Jupyter.notebook.kernel.comm_manager.targets["jupyter.widget"], null, { timeout: 60000 });
  // ipywidgets 6 checks its front end's version once, on connect, before the kernel imports
  // ipywidgets; import it and check again, or the first widget prints "Widget Javascript not detected"
  await page.evaluate(() => new Promise((done) =>
    Jupyter.notebook.kernel.execute("import ipywidgets", { shell: { reply: done } })));
  await page.evaluate(() => Jupyter.notebook.kernel.widget_manager.validateVersion());
  await page.evaluate(() => Jupyter.notebook.clear_all_output());
  await page.evaluate(() => Jupyter.notebook.execute_all_cells());
  // scenario 1 is the fifth cell; wait for its sliders and its figure
  const cell = page.locator(".cell").nth(4);
  await cell.locator(".widget-slider").first().waitFor({ timeout: 120000 });
  await cell.locator(".output_subarea img").first().waitFor({ timeout: 120000 });
  await page.waitForFunction(() => !document.querySelector(".kernel_busy_icon"), null, { timeout: 180000 });
  await page.waitForTimeout(1000);
  await page.locator(".cell").nth(3).evaluate((e) => e.scrollIntoView());
  await page.waitForTimeout(500);
  // crop: scenario 1's heading (the markdown cell before) down to the bottom of its figure
  const top = await page.locator(".cell").nth(3).boundingBox();
  const bottom = await cell.locator(".widget-area").boundingBox();
  await page.screenshot({ path: out, clip: { x: top.x - 10, y: top.y,
    width: top.width + 20, height: bottom.y + bottom.height - top.y + 12 } });
  console.log("wrote", out);
} finally {
  if (browser) await browser.close();
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
  rmSync(scratch, { recursive: true, force: true });
}
