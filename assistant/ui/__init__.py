"""The chat UI. Gradio's file cache goes to a private folder of this process (mode 0700, removed at exit) unless
GRADIO_TEMP_DIR is set: by default Gradio caches files world-readable in the shared temp folder."""
import atexit
import os
import shutil
import tempfile

if not os.environ.get("GRADIO_TEMP_DIR"):
    _private = tempfile.mkdtemp(prefix="policy-assistant-ui-")   # mkdtemp makes it 0700
    os.environ["GRADIO_TEMP_DIR"] = _private
    atexit.register(shutil.rmtree, _private, True)
