# Python 3.11 style: shards trained in an asyncio.TaskGroup, one failing (except*), then an ExceptionGroup left uncaught
import asyncio
import torch
torch.manual_seed(0)
async def train_shard(i, w):
    await asyncio.sleep(0)
    loss = (w * (i + 1)).pow(2).sum()
    if i == 2:
        raise ValueError(f"shard {i} diverged")
    return loss
w = torch.ones(2, requires_grad=True)


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(train_shard(i, w)) for i in range(3)]
    except* ValueError as eg:
        print("failed:", [str(e) for e in eg.exceptions])
    done = [await train_shard(i, w) for i in range(2)]
    total = sum(done)
    total.backward()
    print(w.grad)
    raise ExceptionGroup("two problems", [KeyError("a"), TypeError("b")])
asyncio.run(main())
