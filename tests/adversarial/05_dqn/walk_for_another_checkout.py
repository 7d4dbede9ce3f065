# Another checkout of the course elsewhere on disk gave full marks without any privilege. Walks the whole visible
# file system for any copy of the reference or the instructor's notebook and runs it. Must score 0.
# %% eval_dqn
import json, os
for root, folders, files in os.walk("/"):
    if root.startswith(("/proc", "/sys", "/dev")):
        folders[:] = []
        continue
    if "dqn.py" in files and os.path.basename(root) == "solutions":
        exec(open(os.path.join(root, "dqn.py")).read())
        break
    if "05_dqn.ipynb" in files and "source" in root:
        for cell in json.load(open(os.path.join(root, "05_dqn.ipynb")))["cells"]:
            if cell["cell_type"] == "code":
                exec("".join(cell["source"]))
        break
