# A Hugging Face-style trainer that passes a model only the batch keys its forward accepts (inspect.signature),
# builds layers from the config keys their constructors take (getfullargspec), and logs the class hierarchy
import inspect
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    in_features: int = 4
    out_features: int = 3
    bias: bool = True
    p: float = 0.1
    num_embeddings: int = 10
    embedding_dim: int = 4


def build(cls, cfg):
    accepted = inspect.getfullargspec(cls.__init__).args[1:]
    return cls(**{k: v for k, v in asdict(cfg).items() if k in accepted})


class Classifier(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed = build(nn.Embedding, cfg)
        self.drop = build(nn.Dropout, cfg)
        self.head = build(nn.Linear, cfg)

    def forward(self, input_ids, attention_mask=None, labels=None):
        h = self.drop(self.embed(input_ids))
        if attention_mask is not None:
            h = (h * attention_mask.unsqueeze(-1)).sum(1) / attention_mask.sum(1, keepdim=True)
        else:
            h = h.mean(1)
        logits = self.head(h)
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return {"logits": logits, "loss": loss}


torch.manual_seed(66)
cfg = ModelConfig()
model = Classifier(cfg)
accepted = set(inspect.signature(model.forward).parameters)
print(sorted(accepted), [f.name for f in fields(cfg)][:3])
print([c.__name__ for c in type(model).__mro__])
batch = {
    "input_ids": torch.randint(0, 10, (2, 5)),
    "attention_mask": torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]).float(),
    "labels": torch.tensor([0, 2]),
    "token_type_ids": torch.zeros(2, 5, dtype=torch.long),
}
outputs = model(**{k: v for k, v in batch.items() if k in accepted})
outputs["loss"].backward()
print(outputs["logits"], model.head.bias.grad)
print(inspect.getsource(Classifier.forward).splitlines()[0].strip())
