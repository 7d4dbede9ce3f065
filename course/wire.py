"""Plain data across the sandbox boundary.

The grader never unpickles or imports anything a student process produced.
Values travel as JSON: numbers, strings, lists, string-keyed dicts, and arrays
or tensors as {"$array": {"kind", "dtype", "shape", "data"}} with raw bytes in
base64. Anything else is sent as {"$object": "<type name>"} so that the grader
can say what it received without ever touching it.

Decoding builds arrays with ``numpy.frombuffer`` from a whitelist of dtypes and
checks that the byte count matches the shape.
"""
from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

ALLOWED_DTYPES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")
MAX_DEPTH = 32


class WireError(ValueError):
    """The data does not follow the wire format."""


def _torch():
    import torch

    return torch


def encode(value: Any, _depth: int = 0) -> Any:
    """Python value -> JSON-ready structure (runs in the student process)."""
    if _depth > MAX_DEPTH:
        return {"$object": "too deeply nested"}
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if kind in (list, tuple):
        return [encode(item, _depth + 1) for item in value]
    if kind is dict:
        if not all(type(key) is str for key in value):
            return {"$object": "dict with non-string keys"}
        return {"$dict": {key: encode(item, _depth + 1) for key, item in value.items()}}
    if kind is np.ndarray:
        return _encode_array(value, "ndarray")
    torch = _torch()
    if kind is torch.Tensor:
        with torch._C.DisableTorchFunction():
            array = value.detach().cpu().numpy()
        encoded = _encode_array(array, "tensor")
        encoded["$array"]["requires_grad"] = bool(value.requires_grad)
        return encoded
    return {"$object": f"{kind.__module__}.{kind.__qualname__}"}


def _encode_array(array: np.ndarray, kind: str) -> dict:
    if array.dtype.name not in ALLOWED_DTYPES:
        return {"$object": f"{kind} of dtype {array.dtype.name}"}
    data = np.ascontiguousarray(array).tobytes()
    return {"$array": {"kind": kind, "dtype": array.dtype.name, "shape": list(array.shape),
                       "data": base64.b64encode(data).decode("ascii")}}


class Opaque:
    """Something the student process returned that is not plain data (only its type name is known)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def decode(value: Any, _depth: int = 0) -> Any:
    """JSON structure -> Python value (runs in the grader): numpy arrays, torch tensors, Opaque."""
    if _depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is list:
        return [decode(item, _depth + 1) for item in value]
    if kind is not dict or len(value) != 1:
        raise WireError(f"unexpected {kind.__name__}")
    (tag, body), = value.items()
    if tag == "$float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "$dict" and type(body) is dict:
        return {str(key): decode(item, _depth + 1) for key, item in body.items()}
    if tag == "$object" and type(body) is str:
        return Opaque(body[:200])
    if tag == "$array" and type(body) is dict:
        return _decode_array(body)
    raise WireError(f"unknown tag {tag!r}")


def _decode_array(body: dict):
    dtype, shape, kind = body.get("dtype"), body.get("shape"), body.get("kind")
    if dtype not in ALLOWED_DTYPES or kind not in ("ndarray", "tensor"):
        raise WireError("array of unsupported dtype or kind")
    if type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
        raise WireError("bad array shape")
    data = base64.b64decode(body.get("data", ""), validate=True)
    if len(data) != int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize:
        raise WireError("array bytes do not match its shape")
    array = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if kind == "ndarray":
        return array
    tensor = _torch().from_numpy(array)
    if body.get("requires_grad") is True and tensor.is_floating_point():
        tensor.requires_grad_(True)
    return tensor


def dumps(value: Any) -> str:
    return json.dumps(encode(value), allow_nan=False)


def loads(text: str) -> Any:
    return decode(json.loads(text))
