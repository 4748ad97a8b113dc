#!/usr/bin/env python3
# Writes gguf-py-fixture.gguf with llama.cpp's own GGUF writer (gguf-py), so Vireo's reader is checked
# against a file it did not write, and GgufWriter's output against gguf-py's byte for byte
# (GgufPyFixtureTest). Regenerate from the repository root with:
#   PYTHONPATH=.cache/llama.cpp/src/gguf-py python3 core/src/test/resources/io/make_gguf_py_fixture.py \
#       core/src/test/resources/io/gguf-py-fixture.gguf
# (gguf-py needs numpy.) The values below are mirrored in GgufPyFixtureTest; change both together.
import sys

import numpy as np
from gguf import GGUFWriter, GGMLQuantizationType, GGUFValueType

out = sys.argv[1]
w = GGUFWriter(out, "llama")  # writes general.architecture first
w.add_name("fixture")
w.add_uint8("t.u8", 200)
w.add_int8("t.i8", -100)
w.add_uint16("t.u16", 60000)
w.add_int16("t.i16", -30000)
w.add_uint32("t.u32", 4000000000)
w.add_int32("t.i32", -2000000000)
w.add_float32("t.f32", 0.125)
w.add_bool("t.bool", True)
w.add_string("t.str", "héllo wörld ✓")
w.add_uint64("t.u64", 18000000000000000000)
w.add_int64("t.i64", -9000000000000000000)
w.add_float64("t.f64", 2.5e-300)
w.add_array("t.strs", ["<s>", "</s>", "Ġthe", ""])
w.add_key_value("t.i32s", [1, -2, 3], GGUFValueType.ARRAY, sub_type=GGUFValueType.INT32)
w.add_key_value("t.f32s", [0.5, -1.5], GGUFValueType.ARRAY, sub_type=GGUFValueType.FLOAT32)
w.add_array("t.nested", [[1, 2], [3]])

w.add_tensor("f32", np.arange(6, dtype=np.float32).reshape(2, 3))
w.add_tensor("f16", np.array([1.0, -2.0, 0.5, 65504.0], dtype=np.float16))
q8 = np.zeros((2, 34), dtype=np.uint8)
q8[:, 0:2] = np.frombuffer(np.float16(0.25).tobytes(), dtype=np.uint8)  # scale d = 0.25
q8[:, 2:] = np.arange(32, dtype=np.int8).view(np.uint8)  # qs = 0..31
w.add_tensor("q8", q8, raw_dtype=GGMLQuantizationType.Q8_0)
w.add_tensor("i32", np.array([[7, -7]], dtype=np.int32))

w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
