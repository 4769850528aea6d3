import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(5)
seqs = [torch.randn(2, 3), torch.randn(4, 3), torch.randn(3, 3)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)
lstm = nn.LSTM(3, 2, batch_first=True)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
out, (h, c) = lstm(packed)
unpacked, out_lens = pad_packed_sequence(out, batch_first=True)
print(unpacked.shape, out_lens.tolist())
h[-1].sum().backward()
print(lstm.weight_ih_l0.grad.shape)
packed_bad = pack_padded_sequence(padded, lengths, batch_first=True)
