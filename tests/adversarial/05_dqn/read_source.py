# Reads the instructor's notebook and the reference module by path and runs their solutions. Must score 0.
# %% eval_dqn
import json, pathlib, course
for candidate in ("../../../source/05_dqn/05_dqn.ipynb", pathlib.Path(course.__file__).parents[1] / "source/05_dqn/05_dqn.ipynb"):
    try:
        cells = json.loads(pathlib.Path(candidate).read_text())["cells"]
    except OSError:
        continue
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            exec("".join(cell["source"]))
exec(open(pathlib.Path(course.__file__).parents[1] / "solutions" / "dqn.py").read())
