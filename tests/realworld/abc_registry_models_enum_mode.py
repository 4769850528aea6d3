import abc
import enum


class Mode(enum.Enum):
    TRAIN = "train"
    EVAL = "eval"


class BaseModel(nn.Module, abc.ABC):
    registry = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        BaseModel.registry[cls.__name__.lower()] = cls

    @abc.abstractmethod
    def features(self, x):
        ...

    def forward(self, x):
        return self.head(self.features(x))


class Mlp(BaseModel):
    def __init__(self, d_in, d_hidden):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d_in, d_hidden), nn.Tanh())
        self.head = nn.Linear(d_hidden, 1)

    def features(self, x):
        return self.body(x)


class Linear(BaseModel):
    def __init__(self, d_in, d_hidden):
        super().__init__()
        self.head = nn.Linear(d_in, 1)

    def features(self, x):
        return x


def set_mode(model, mode: Mode):
    model.train(mode is Mode.TRAIN)
    return model


try:
    BaseModel()
except TypeError as e:
    print("cannot build the base:", e)

torch.manual_seed(0)
X = torch.randn(16, 3)
y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1

results = {}
for name, cls in BaseModel.registry.items():
    model = set_mode(cls(3, 4), Mode.TRAIN)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(5):
        opt.zero_grad()
        loss = F.mse_loss(model(X), y)
        loss.backward()
        opt.step()
    set_mode(model, Mode.EVAL)
    results[name] = loss.item()
    print(f"{name:>8} | mode={Mode.EVAL.value:<5} | training={model.training} | loss={loss.item():.4f}")

best = min(results, key=results.get)
print("best:", best, Mode("train"), Mode.TRAIN.name)
