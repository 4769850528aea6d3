"""Train/evaluate split into functions; main() returns what the notebook version kept at top level."""
from collections import defaultdict

torch.manual_seed(11)


def make_data(n=32):
    x = torch.randn(n, 4)
    y = (x[:, 0] - 2 * x[:, 1] > 0).long()
    return x, y


def train_one_epoch(model, opt, x, y, batch_size=8):
    model.train()
    total = 0.0
    for i in range(0, len(x), batch_size):
        xb, yb = x[i : i + batch_size], y[i : i + batch_size]
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    return total / len(x)


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    logits = model(x)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main():
    x_tr, y_tr = make_data()
    x_va, y_va = make_data(16)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    history = defaultdict(list)
    for epoch in range(1, 4):
        tr = train_one_epoch(model, opt, x_tr, y_tr)
        va, acc = evaluate(model, x_va, y_va)
        history["train"].append(tr)
        history["val"].append(va)
        print(f"epoch {epoch}: train {tr:.4f}  val {va:.4f}  acc {acc:.2%}")
    return model, history


if __name__ == "__main__":
    model, history = main()
    best = min(range(len(history["val"])), key=history["val"].__getitem__)
    print("best epoch:", best + 1, dict(history))
    print(model[3].weight.grad)
