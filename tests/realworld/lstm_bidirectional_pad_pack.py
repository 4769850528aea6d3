from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence

torch.manual_seed(29)
seqs = [torch.randn(4, 3), torch.randn(2, 3), torch.randn(3, 3)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape)
lstm = nn.LSTM(input_size=3, hidden_size=2, batch_first=True, bidirectional=True)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
packed_out, (h_n, c_n) = lstm(packed)
unpacked, out_lengths = pad_packed_sequence(packed_out, batch_first=True)
print(unpacked.shape, out_lengths.tolist())
final = torch.cat([h_n[-2], h_n[-1]], dim=1)
classifier = nn.Linear(4, 2)
logits = classifier(final)
loss = F.cross_entropy(logits, torch.tensor([0, 1, 1]))
loss.backward()
print(lstm.weight_hh_l0_reverse.grad.shape, round(loss.item(), 5))
