"""ONNX Runtime sessions that the model wheels create, remade so their idle workers sleep.

rapid-layout, rapid-table and rapidocr build their sessions with ONNX Runtime's default thread
pool, whose workers spin for a while after each run waiting for more work: on this shared
machine that burned CPU other work needed (bench/onnx_idle_spin.py: the table session's spin cost
0.23x its run). The wheels expose no option for it, so the session each one made is rebuilt from
the same model file and the same options, plus `allow_spinning = 0`. The outputs are the same;
only the idle threads' behaviour changes.
"""

from __future__ import annotations

from typing import Any

NO_SPIN = {"session.intra_op.allow_spinning": "0", "session.inter_op.allow_spinning": "0"}


def without_idle_spin(session: Any) -> Any:
    """The same model, options and providers in a session whose idle workers do not spin; the
    session itself where it does not say which file it was loaded from."""
    import onnxruntime

    path = getattr(session, "_model_path", None)
    if not isinstance(session, onnxruntime.InferenceSession) or not path:
        return session
    options = session.get_session_options()
    for key, value in NO_SPIN.items():
        options.add_session_config_entry(key, value)
    return onnxruntime.InferenceSession(path, sess_options=options, providers=session.get_providers())


def quiet_session_at(holder: Any, attribute: str) -> None:
    """Replace `holder.<attribute>` (a wheel's session) by its non-spinning copy, when it is there."""
    session = getattr(holder, attribute, None)
    if session is not None:
        setattr(holder, attribute, without_idle_spin(session))
