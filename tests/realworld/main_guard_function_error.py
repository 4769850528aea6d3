def train_step(model, batch):
    out = model(batch)
    return out.mean()

def main():
    model = nn.Linear(3, 2)
    loss = train_step(model, torch.randn(4, 3))
    loss.backward()
    print("step done", model.weight.grad.shape)
    train_step(model, torch.randn(4, 2))

if __name__ == "__main__":
    main()
