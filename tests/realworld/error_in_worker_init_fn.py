from torch.utils.data import DataLoader, TensorDataset


def init_worker(worker_id):
    if worker_id == 1:
        raise RuntimeError("worker 1 could not open its shard")


torch.manual_seed(206)
ds = TensorDataset(torch.arange(8.0).unsqueeze(1))
for (batch,) in DataLoader(ds, batch_size=2, num_workers=2, worker_init_fn=init_worker):
    print(batch.squeeze(1))
