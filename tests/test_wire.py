import numpy as np
import pytest
import torch

from course import wire


def roundtrip(value):
    return wire.loads(wire.dumps(value))


def test_plain_values_and_containers_roundtrip():
    value = {"a": [1, 2.5, "x", None, True], "b": {"c": (3, 4)}}
    assert roundtrip(value) == {"a": [1, 2.5, "x", None, True], "b": {"c": [3, 4]}}


def test_non_finite_floats_survive():
    got = roundtrip([float("nan"), float("inf")])
    assert np.isnan(got[0]) and got[1] == float("inf")


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool])
def test_tensors_keep_dtype_shape_and_values(dtype):
    tensor = (torch.arange(6).reshape(2, 3) % 2).to(dtype)
    got = roundtrip(tensor)
    assert type(got) is torch.Tensor and got.dtype == dtype and torch.equal(got, tensor)


def test_requires_grad_flag_is_reported():
    assert roundtrip(torch.ones(2, requires_grad=True)).requires_grad
    assert not roundtrip(torch.ones(2)).requires_grad


def test_numpy_arrays_stay_numpy():
    got = roundtrip(np.arange(4, dtype=np.float64))
    assert type(got) is np.ndarray and got.dtype == np.float64


def test_objects_become_opaque_type_names():
    class Sneaky(torch.Tensor):
        pass

    class AlwaysEqual:
        def __eq__(self, other):
            return True

    got = roundtrip([torch.ones(2).as_subclass(Sneaky), AlwaysEqual(), np.float64(1.0)])
    assert all(isinstance(item, wire.Opaque) for item in got)
    assert "Sneaky" in got[0].type_name and "AlwaysEqual" in got[1].type_name


@pytest.mark.parametrize("bad", [
    {"$array": {"kind": "tensor", "dtype": "object", "shape": [1], "data": ""}},
    {"$array": {"kind": "tensor", "dtype": "float32", "shape": [4], "data": "AAAA"}},
    {"$pickle": "gASV"},
    {"a": 1, "b": 2},
])
def test_malformed_data_is_rejected(bad):
    with pytest.raises(wire.WireError):
        wire.decode(bad)
