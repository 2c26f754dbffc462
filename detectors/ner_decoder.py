"""spaCy's greedy NER decoding, one token position at a time for a whole batch of docs at once.

spaCy 3's `EntityRecognizer` (a transition-based parser) scores its moves for one state at a
time and checks every move's validity with a C call per move and state (74 moves for the small
English model): on short texts that loop costs more than the model's network. Every NER move
(B-, I-, L-, U- of a label, and O) consumes exactly one token, so after `t` moves every unfinished
doc of a batch stands at token `t`: the states of all docs advance together, and the scores,
the validity of every move and the argmax are array operations over the batch.

This module does what `Parser.greedy_parse` does for a model of spaCy's `TransitionBasedParser`
architecture with the `ner` state (3 context tokens: the next token, the open entity's first
token and the token before the next): the same tok2vec, the same precomputed lower layer, the
same upper layer and the same validity rules (`spacy/pipeline/_parser_internals/ner.pyx`) for
docs without preset entities. The entities are the ones spaCy's own decoding finds
(tests/unit/detectors/test_ner_decoder.py compares them). `BatchDecoder.for_pipe` returns None
for any pipe it cannot decode this way (another architecture, beam search, unseen classes),
and the caller then runs spaCy's own `nlp.pipe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy
from numpy.typing import NDArray
from spacy.attrs import IS_SPACE, SENT_START
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span

_BEGIN, _IN, _LAST, _UNIT, _OUT = "B", "I", "L", "U", "O"


@dataclass(frozen=True)
class MoveTable:
    """The moves of an NER pipe, in the order of its output layer's rows: each move's kind
    (`B`, `I`, `L`, `U`, `O`) and label (`""` for `O` and for the blocking `U-`)."""

    kinds: tuple[str, ...]
    labels: tuple[str, ...]

    @classmethod
    def of(cls, ner: EntityRecognizer) -> MoveTable:
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        kinds, labels = zip(*((n, "") if n == _OUT else n.split("-", 1) for n in names),
                            strict=True)
        return cls(tuple(kinds), tuple(labels))


class BatchDecoder:
    """Entities of many docs from one NER pipe, all docs' states advanced together."""

    def __init__(self, ner: EntityRecognizer, moves: MoveTable) -> None:
        model = ner.model
        self._tok2vec, self._lower = model.get_ref("tok2vec"), model.get_ref("lower")
        self._embedding = _TokenEmbedding.of(self._tok2vec)
        upper = model.get_ref("upper")
        self._ops = model.ops
        self._upper_w: NDArray[numpy.float32] = upper.get_param("W")
        self._upper_b: NDArray[numpy.float32] = upper.get_param("b")
        self._lower_b: NDArray[numpy.float32] = self._lower.get_param("b")
        self._vocab = ner.vocab
        label_names = sorted({label for label in moves.labels if label})
        self._label_names = [""] + label_names
        ids = {name: i for i, name in enumerate(self._label_names)}
        kinds = numpy.array(moves.kinds)
        self._move_label = numpy.array([ids[label] for label in moves.labels])
        self._begin, self._in, self._last = kinds == _BEGIN, kinds == _IN, kinds == _LAST
        self._unit, self._out = kinds == _UNIT, kinds == _OUT
        self._labelled = self._move_label != 0

    @classmethod
    def for_pipe(cls, ner: Any) -> BatchDecoder | None:
        """A decoder for `ner`, or None when it is not a pipe this module decodes as spaCy
        would (then run spaCy's own)."""
        if not isinstance(ner, EntityRecognizer) or ner.cfg.get("beam_width", 1) != 1:
            return None
        model = ner.model
        if (not model.attrs.get("has_upper") or model.attrs.get("unseen_classes")
                or set(model.ref_names) < {"tok2vec", "lower", "upper"}):
            return None
        lower = model.get_ref("lower")
        if lower.name != "precomputable_affine" or lower.get_dim("nF") != 3:
            return None
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        if model.get_ref("upper").get_dim("nO") != len(names) or not all(
                n == _OUT or n[:2] in ("B-", "I-", "L-", "U-") for n in names):
            return None
        return cls(ner, MoveTable.of(ner))

    def __call__(self, docs: Sequence[Doc]) -> list[list[tuple[int, int, str]]]:
        """(start token, end token, label) of each doc's entities; the docs are not changed."""
        found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        live = [i for i, doc in enumerate(docs) if len(doc)]
        if not live:
            return found
        live.sort(key=lambda i: -len(docs[i]))  # the docs still running are a prefix
        ordered = [docs[i] for i in live]
        lengths = numpy.array([len(doc) for doc in ordered])
        offsets = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        tokvecs = (self._embedding(ordered) if self._embedding is not None
                   else self._tok2vec.predict(ordered))
        # (tokens + 1, 3 features, hidden, pieces); row 0 is each feature's padding
        cached = self._lower.predict(tokvecs)
        space = numpy.concatenate([doc.to_array(IS_SPACE) for doc in ordered]).astype(bool)
        starts = numpy.concatenate([doc.to_array(SENT_START) for doc in ordered]) == 1
        total = int(lengths.sum())
        ent_start = numpy.full(len(ordered), -1)
        ent_label = numpy.zeros(len(ordered), dtype=self._move_label.dtype)
        for t in range(int(lengths[0])):
            n = int(numpy.searchsorted(-lengths, -t))  # the docs longer than t
            at = offsets[:n] + t
            opened = ent_start[:n] >= 0
            first = numpy.where(opened, offsets[:n] + ent_start[:n] + 1, 0)
            before = numpy.where(opened, at, 0)  # the token before B(0), +1 for the padding
            vec = cached[at + 1, 0] + cached[first, 1] + cached[before, 2]
            vec += self._lower_b
            hidden = vec.max(axis=2)
            scores = self._ops.gemm(hidden, self._upper_w, trans2=True)
            scores += self._upper_b
            has_next = lengths[:n] - t >= 2
            nxt = numpy.minimum(at + 1, total - 1)
            next_free = has_next & ~starts[nxt]  # B(1) exists and starts no sentence
            not_space = ~space[at]
            may_open = has_next & next_free & not_space
            same = self._move_label[None, :] == ent_label[:n, None]
            closed = ~opened[:, None]
            valid = (
                (self._begin & self._labelled & closed & may_open[:, None])
                | (self._in & self._labelled & ~closed & same & next_free[:, None])
                | (self._last & self._labelled & ~closed & same)
                | (self._unit & self._labelled & closed & not_space[:, None])
                | (self._out & closed))
            scores[~valid] = -numpy.inf
            guess = scores.argmax(axis=1)
            label = self._move_label[guess]
            begin, unit, last = self._begin[guess], self._unit[guess], self._last[guess]
            for row in numpy.flatnonzero(last):
                found[live[row]].append((int(ent_start[row]), t + 1,
                                         self._label_names[int(ent_label[row])]))
            for row in numpy.flatnonzero(unit):
                found[live[row]].append((t, t + 1, self._label_names[int(label[row])]))
            ent_start[:n][begin] = t
            ent_label[:n][begin] = label[begin]
            ent_start[:n][last] = -1
        return found

    def annotate(self, docs: Sequence[Doc]) -> list[Doc]:
        """`docs` with their entities set, as the pipe would set them."""
        for doc, ents in zip(docs, self(docs), strict=True):
            doc.set_ents([Span(doc, a, b, label=label) for a, b, label in ents],
                         default="outside")
        return list(docs)


class _TokenEmbedding:
    """The tok2vec of spaCy's `Tok2Vec.v2` with `MultiHashEmbed` and a window encoder, with the
    context-free part (the hashed embeddings of a token's NORM, PREFIX, SUFFIX and SHAPE and the
    maxout layer that mixes them) computed once per distinct feature row of a batch: in prose
    most tokens are words that recur, and only the encoder's layers read context."""

    def __init__(self, columns: list[Any], embed: Any, mix: Any, encode: Any,
                 output: Any) -> None:
        self._columns, self._embed, self._mix = columns, embed, mix
        self._encode, self._output = encode, output

    @classmethod
    def of(cls, tok2vec: Any) -> _TokenEmbedding | None:
        """None unless `tok2vec` is laid out as that architecture builds it."""
        layers: list[Any] = list(tok2vec.layers)
        if len(layers) != 3 or len(layers[0].layers) != 2:
            return None
        (embed, encode), to_array, output = layers[0].layers, layers[1], layers[2]
        if len(embed.layers) != 5:
            return None
        extract, to_ragged, hashed, mix, to_list = embed.layers
        names = [extract.name, to_ragged.name, to_list.name, to_array.name]
        if (names != ["extract_features", "list2ragged", "ragged2list", "list2array"]
                or not hashed.name.startswith("with_array(")
                or not mix.name.startswith("with_array(")):
            return None
        return cls(list(extract.attrs["columns"]), hashed.layers[0], mix.layers[0], encode,
                   output)

    def __call__(self, docs: Sequence[Doc]) -> NDArray[numpy.float32]:
        features = numpy.concatenate([doc.to_array(self._columns) for doc in docs])
        distinct, inverse = numpy.unique(features, axis=0, return_inverse=True)
        mixed = self._mix.predict(self._embed.predict(distinct.astype("uint64")))
        rows = mixed[inverse.reshape(-1)]
        lengths = numpy.cumsum([len(doc) for doc in docs])[:-1]
        encoded = self._encode.predict(numpy.split(rows, lengths))
        return self._output.predict(numpy.concatenate(encoded))  # type: ignore[no-any-return]
