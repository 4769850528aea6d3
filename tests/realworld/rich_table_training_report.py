from rich.console import Console
from rich.table import Table

torch.manual_seed(0)
console = Console()
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X, y = torch.randn(12, 3), torch.randn(12, 1)
table = Table(title="Training")
table.add_column("epoch", justify="right")
table.add_column("loss")
table.add_column("|grad|")
for epoch in range(3):
    opt.zero_grad()
    loss = F.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    table.add_row(str(epoch), f"{loss.item():.4f}", f"{model.weight.grad.norm():.4f}")
console.print(table)
console.print("[bold]final weight[/bold]", model.weight.detach())
print(console.width, console.is_terminal, console.color_system)
