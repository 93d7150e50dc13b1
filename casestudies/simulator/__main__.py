"""Command line: ``python -m casestudies.simulator FILE.json`` (or ``-`` for standard input),
``python -m casestudies.simulator --batch FILE.jsonl`` (one situation per line).

Exit codes: 0 success; 2 bad input (French message on standard error, nothing on standard
output; in batch mode, after every line has been processed); 1 internal problem (for example a
malformed barème file).
"""

from __future__ import annotations

import json
import mmap
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TextIO

import msgspec

from .engine import simulate
from .loader import BaremeError
from .period import default_baremes
from .result import result_to_json
from .situation import SituationError, parse_situation

USAGE = (
    "usage : python -m casestudies.simulator FICHIER.json   (ou « - » pour l'entrée standard)\n"
    "        python -m casestudies.simulator --batch FICHIER.jsonl   (une situation par ligne)"
)


def _reject_constant(name: str) -> Any:
    raise SituationError("", f"JSON invalide : la constante {name} n'est pas admise")


def _parse_int(text: str) -> int | Decimal:
    # Python refuses to turn more than 4300 digits into an int (ValueError, which ended as an
    # "Erreur interne"): a long literal stays a Decimal, refused by the range check with its path.
    return int(text) if len(text) <= 100 else Decimal(text)


# Built once (``json.loads`` with hooks builds a decoder per call: a quarter of the decoding).
_DECODE = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant).decode
_DECODE_LONG_INTS = json.JSONDecoder(
    parse_float=Decimal, parse_int=_parse_int, parse_constant=_reject_constant
).decode


# msgspec decodes a line three times faster than ``json`` (to the same dicts, lists, ints,
# strings and Decimals: the literal's text goes to Decimal, as with ``parse_float``); any line it
# refuses (a syntax error, NaN, a lone surrogate, an integer beyond 64 bits…) is decoded again
# by ``json``, whose errors the messages are written from.
_FAST_DECODE = msgspec.json.Decoder(float_hook=Decimal).decode


def decode(text: str) -> Any:
    """Decode JSON (numbers with a decimal point become Decimal, exactly)."""
    try:
        if text.startswith("\ufeff"):  # as json.loads does
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        try:
            return _FAST_DECODE(text)
        except Exception:  # noqa: BLE001, S110 - decoded again below, errors said from there
            pass
        try:
            # Plain ints parse in C; only a literal too long for int() takes the slow hook.
            return _DECODE(text)
        except json.JSONDecodeError:
            raise
        except ValueError:
            return _DECODE_LONG_INTS(text)
    except json.JSONDecodeError as exc:
        raise SituationError(
            "",
            f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno}) : {_json_problem(exc.msg)}",
        ) from None
    except RecursionError:
        raise SituationError("", "JSON invalide : imbrication trop profonde") from None


def _json_problem(msg: str) -> str:
    known = {
        "Expecting value": "valeur attendue",
        "Expecting property name enclosed in double quotes": "nom de clé entre guillemets attendu",
        "Expecting ',' delimiter": "virgule attendue",
        "Expecting ':' delimiter": "deux-points attendu",
        "Extra data": "données en trop après l'objet",
        "Unterminated string starting at": "chaîne non terminée",
        "Invalid control character at": "caractère de contrôle interdit",
    }
    for english, french in known.items():
        if msg.startswith(english):
            return french
    return msg


def run_one(text: str) -> dict[str, Any]:
    """Decode, validate and simulate one situation; raise SituationError on bad input."""
    situation = parse_situation(decode(text))
    return simulate(situation).to_dict()


def run_one_json(text: str) -> str:
    """Like :func:`run_one`, returning the result as one line of JSON text."""
    return result_to_json(simulate(parse_situation(decode(text))))


def _message(error: SituationError) -> str:
    if error.path:
        return f"Entrée invalide — champ {error.path} : {error.message}"
    return f"Entrée invalide — {error.message}"


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    with open(name, encoding="utf-8") as handle:
        return handle.read()


def _single(name: str, out: TextIO) -> int:
    try:
        text = _read(name)
    except (OSError, UnicodeDecodeError) as exc:
        print(
            f"Lecture impossible de « {name} » : {getattr(exc, 'strerror', None) or exc}",
            file=sys.stderr,
        )
        return 2
    try:
        result = run_one(text)
    except SituationError as error:
        print(_message(error), file=sys.stderr)
        return 2
    text = json.dumps(result, ensure_ascii=False, indent=2)
    # a lone surrogate (in a label) is written as its JSON escape: it has no UTF-8 form
    out.write(text.encode("utf-8", "backslashreplace").decode("utf-8"))
    out.write("\n")
    return 0


CHUNK = 500  # lines per unit of work in --batch mode


Chunk = tuple[bytes, list[str]]  # UTF-8 JSON lines of a chunk, its French error messages
# A chunk's results as handed to the writer: its UTF-8 JSON lines, or the path of a file that
# holds them (written by a forked copy), and its French error messages.
Results = tuple[bytes | str, list[str]]


def _process_chunk(chunk: list[tuple[int, str]]) -> Chunk:
    """Results (UTF-8 JSON lines, one bytes block: cheap to hand over between processes) and
    French error messages for a chunk of numbered input lines."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    outputs: list[str] = []
    errors: list[str] = []
    for number, line in chunk:
        try:
            outputs.append(run_one_json(line))
        except SituationError as error:
            outputs.append(dumps({"line": number, "error": error.to_dict()}))
            errors.append(f"Ligne {number} : {_message(error)}")
        except Exception as exc:  # noqa: BLE001 - one line never costs the others their results
            error = SituationError("", f"erreur interne du simulateur ({type(exc).__name__})")
            outputs.append(dumps({"line": number, "error": error.to_dict()}))
            errors.append(f"Ligne {number} : {_message(error)}")
    outputs.append("")
    # A lone surrogate ("\ud800" in a label, written back in the result) has no UTF-8 form: it
    # is written as its JSON escape (the whole batch stopped with an internal error).
    return "\n".join(outputs).encode("utf-8", "backslashreplace"), errors


def _chunks(handle: TextIO):
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(handle, start=1):
        if not line.isspace():  # blank lines are skipped (strip() copied every line)
            chunk.append((number, line))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _workers() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, min(os.cpu_count() or 1, 8))


def _forked(chunks: list[list[tuple[int, str]]], workers: int) -> Iterator[Results]:
    """The chunks' results, in order, computed by this process and ``workers - 1`` forked
    copies of it. Each process claims the next chunk from a counter in shared memory (a pipe
    holding one byte is its lock). The copies write each result to a file of their own (nothing
    is pickled or piped: handing results over through a process pool cost a fifth of the work),
    handed to the writer by path; this process keeps its own results in memory. A chunk whose
    file is missing (a copy that died) is computed here."""
    import tempfile  # only when forking

    counter = mmap.mmap(-1, 8)  # shared with the forked copies (MAP_SHARED)
    lock_read, lock_write = os.pipe()
    os.write(lock_write, b"x")
    own: dict[int, Chunk] = {}
    with tempfile.TemporaryDirectory(prefix="simulateur-batch-") as tmp:

        def claim() -> int:
            os.read(lock_read, 1)
            try:
                index = int.from_bytes(counter[:8], "little")
                counter[:8] = (index + 1).to_bytes(8, "little")
            finally:
                os.write(lock_write, b"x")
            return index

        def work(child: bool) -> None:
            while (index := claim()) < len(chunks):
                block, errors = _process_chunk(chunks[index])
                if not child:
                    own[index] = block, errors
                    continue
                path = os.path.join(tmp, str(index))
                if errors:  # the messages (they may hold any character) as JSON, before the block
                    with open(path + ".err", "wb") as handle:
                        handle.write(json.dumps(errors).encode("ascii"))
                with open(path + ".part", "wb") as handle:
                    handle.write(block)
                os.replace(path + ".part", path)  # complete files only

        children = []
        try:
            for _ in range(workers - 1):
                pid = os.fork()
                if pid == 0:  # pragma: no cover - measured in the child, not by the parent
                    code = 1
                    try:
                        work(child=True)
                        code = 0
                    finally:
                        os._exit(code)  # no atexit handlers, no buffered output of the parent
                children.append(pid)
            work(child=False)
        finally:
            for pid in children:
                os.waitpid(pid, 0)
            os.close(lock_read)
            os.close(lock_write)
            counter.close()
        for index, chunk in enumerate(chunks):
            if index in own:
                yield own.pop(index)
                continue
            path = os.path.join(tmp, str(index))
            if not os.path.exists(path):
                yield _process_chunk(chunk)
                continue
            try:
                with open(path + ".err", "rb") as handle:
                    errors = json.loads(handle.read())
            except FileNotFoundError:
                errors = []
            yield path, errors


def _copy(path: str, sink: Any) -> None:
    """The content of the file ``path`` written to the binary stream ``sink``, by the kernel
    when it can (``sendfile``: no copy through this process)."""
    with open(path, "rb") as source:
        offset = 0
        try:
            sink.flush()
            target, size = sink.fileno(), os.fstat(source.fileno()).st_size
            while offset < size:
                sent = os.sendfile(target, source.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
        except (AttributeError, OSError, ValueError):  # not a file descriptor, or no sendfile
            pass
        source.seek(offset)  # what is left (nothing, when sendfile copied it all)
        sink.write(source.read())


def _batch(name: str, out: TextIO) -> int:
    """One result per input line, in order; chunks are spread over the available cores."""
    try:
        handle = sys.stdin if name == "-" else open(name, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        print(f"Lecture impossible de « {name} » : {exc.strerror}", file=sys.stderr)
        return 2
    try:
        chunks = list(_chunks(handle))
    except UnicodeDecodeError:
        print(f"Lecture impossible de « {name} » : le fichier n'est pas en UTF-8", file=sys.stderr)
        return 2
    finally:
        if handle is not sys.stdin:
            handle.close()
    workers = min(_workers(), len(chunks))
    results = _forked(chunks, workers) if workers > 1 else map(_process_chunk, chunks)
    sink = out.buffer if hasattr(out, "buffer") else None
    failed = 0
    for block, errors in results:
        if isinstance(block, str):  # a file written by a forked copy
            if sink is not None:
                _copy(block, sink)
                block = b""
            else:
                with open(block, "rb") as handle:
                    block = handle.read()
        if sink is not None:
            sink.write(block)
        else:
            out.write(block.decode("utf-8"))
        for message in errors:
            print(message, file=sys.stderr)
        failed += len(errors)
    if failed:
        print(f"{failed} ligne(s) invalide(s).", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    batch = False
    if args and args[0] == "--batch":
        batch = True
        args.pop(0)
    if len(args) != 1 or (args[0].startswith("--") and args[0] != "-"):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        default_baremes()
    except BaremeError as error:
        print(f"Barèmes invalides : {error}", file=sys.stderr)
        return 1
    out = sys.stdout
    try:
        return _batch(args[0], out) if batch else _single(args[0], out)
    except BaremeError as error:  # pragma: no cover - barèmes are checked above
        print(f"Barèmes invalides : {error}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - never a traceback on the command line
        print(f"Erreur interne du simulateur : {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
