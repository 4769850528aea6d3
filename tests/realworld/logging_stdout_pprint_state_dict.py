import logging
import pprint
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s:%(message)s")
log = logging.getLogger("train")
torch.manual_seed(70)
model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
x, y = torch.randn(4, 2), torch.randn(4, 1)
for step in range(2):
    opt.zero_grad()
    loss = F.smooth_l1_loss(model(x), y, beta=0.5)
    loss.backward()
    opt.step()
    log.info("step %d loss %.4f", step, loss.item())
    log.debug("hidden")
pprint.pprint({k: tuple(v.shape) for k, v in model.state_dict().items()})
pprint.pprint(opt.state_dict()["state"][0]["exp_avg_sq"])
sys.stdout.write(f"{model[0].weight.grad}\n")
