import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(33)
T, N, C = 8, 3, 5
rnn = nn.GRU(4, C)
feats = torch.randn(T, N, 4)
out, _ = rnn(feats)
log_probs = F.log_softmax(out, dim=2)
targets = torch.tensor([1, 2, 2, 3, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1])  # concatenated, third one too long
target_lengths = torch.tensor([3, 2, 9])
input_lengths = torch.tensor([8, 6, 8])
loss = F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=True)
loss_inf = F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="none")
print(loss_inf)
loss.backward()
print(f"{loss.item():.5f}")
print(rnn.weight_hh_l0.grad.abs().sum() > 0)
