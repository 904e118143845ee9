"""Executes a notebook top to bottom with nbconvert, headless, as `jupyter nbconvert --to notebook
--execute` does, and fails on the first cell that raises.

Why not the command line itself: Debian 12's ipywidgets 6 opens a widget's comm without the
`state` that nbclient 0.7's handler for the Output widget expects (KeyError: 'state', before any
cell of ours could fail). That handler only mimics a browser's Output widget, which the notebook
does not use; this runner skips it for comms without `state` and is otherwise nbconvert's
ExecutePreprocessor.

    execute_notebook.py <notebook.ipynb> <executed.ipynb>
"""
import pathlib
import sys

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor


class HeadlessExecutePreprocessor(ExecutePreprocessor):
    def on_comm_open_jupyter_widget(self, msg):
        if "state" not in msg["content"]["data"]:
            return None
        return super().on_comm_open_jupyter_widget(msg)


def main():
    source, target = map(pathlib.Path, sys.argv[1:3])
    nb = nbformat.read(source, as_version=4)
    HeadlessExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(source.parent)}})
    nbformat.write(nb, target)
    print(f"executed {source} without error ({len(nb.cells)} cells) into {target}")


if __name__ == "__main__":
    main()
