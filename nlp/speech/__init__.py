"""Speech: decoding recordings, Whisper transcription with guards, Simplified output, speakers.

Pure like the rest of nlp/: bytes and the loaded model object in, dataclasses out; the worker
(workers/asr_model.py, workers/handlers/transcribe.py) does the file and model I/O.
"""
