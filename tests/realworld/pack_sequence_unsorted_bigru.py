import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence

torch.manual_seed(0)
seqs = [torch.randn(3, 2), torch.randn(5, 2), torch.randn(1, 2)]
packed = pack_sequence(seqs, enforce_sorted=False)
gru = nn.GRU(2, 3, batch_first=True, bidirectional=True)
out, h_n = gru(packed)
padded, lengths = pad_packed_sequence(out, batch_first=True, padding_value=0.0)
print(padded.shape, lengths)
last = torch.cat([h_n[0], h_n[1]], dim=-1)
loss = padded.sum() + last.pow(2).sum()
loss.backward()
print(last)
print(gru.weight_hh_l0_reverse.grad.norm())
