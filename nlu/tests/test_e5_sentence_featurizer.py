"""E5SentenceFeaturizer: one normalised sentence vector per text, meaning kept."""

from __future__ import annotations

import numpy as np
from components.e5_sentence_featurizer import E5SentenceFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def featurizer() -> E5SentenceFeaturizer:
    return E5SentenceFeaturizer("e5", E5SentenceFeaturizer.get_default_config())


def sentence_vector(message: Message) -> np.ndarray:
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None, "only sentence-level features are added"
    assert sentence is not None
    return np.asarray(sentence.features)


def test_each_text_gets_one_unit_length_sentence_vector() -> None:
    messages = [Message({TEXT: text}) for text in ("잘 모르겠어요", "기초연금 신청", "ㅎㅇ")]
    featurizer().process(messages)
    for message in messages:
        vector = sentence_vector(message)
        assert vector.shape == (1, 384)
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_similar_meanings_are_closer_than_different_ones() -> None:
    texts = ["잘 모르겠어요", "기억이 안 나요", "집에 불이 났어요"]
    messages = [Message({TEXT: text}) for text in texts]
    featurizer().process(messages)
    dont_know, dont_remember, fire = (sentence_vector(m)[0] for m in messages)
    assert float(dont_know @ dont_remember) > float(dont_know @ fire)


def test_training_data_is_featurized_and_messages_without_text_are_left_alone() -> None:
    with_text = Message({TEXT: "어머니가 받을 수 있는 지원 있나요", "intent": "find_benefits"})
    without_text = Message({"intent": "greet"})
    featurizer().process_training_data(TrainingData([with_text, without_text]))
    assert sentence_vector(with_text).shape == (1, 384)
    assert without_text.features == []


def test_batches_match_single_messages() -> None:
    texts = [f"{n}번째 문장입니다" for n in range(70)]  # more than one batch
    batched = [Message({TEXT: text}) for text in texts]
    featurizer().process(batched)
    alone = Message({TEXT: texts[-1]})
    featurizer().process([alone])
    assert np.allclose(sentence_vector(batched[-1]), sentence_vector(alone), atol=1e-5)


def test_a_button_payload_gets_a_zero_vector_without_embedding() -> None:
    payload = Message({TEXT: '/inform{"answer": "unknown"}'})
    typed = Message({TEXT: "/ 이거 뭐예요"})
    featurizer().process([payload, typed])
    assert sentence_vector(payload).shape == (1, 384)
    assert not sentence_vector(payload).any()
    assert sentence_vector(typed).any(), "only Rasa's payload syntax is skipped"
