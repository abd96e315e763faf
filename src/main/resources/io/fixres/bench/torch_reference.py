"""PyTorch side of `fixres bench --vs-pytorch`: the same network, resolution, batch and threads,
measured phase by phase on a ready batch, printed as one JSON line on stdout.

Called by io.fixres.bench.TorchReference with a JSON spec of the network as built by fixres
(torchvision topology, so the layer shapes are identical), never by hand.
"""
import json
import sys
import time


def build(spec, torch, nn):
    from torchvision.models.resnet import BasicBlock, Bottleneck
    block = BasicBlock if spec["block"] == "basic" else Bottleneck
    k, s, p = spec["stem"]
    layers = [nn.Conv2d(spec["channels"], spec["stem_width"], k, s, p, bias=False),
              nn.BatchNorm2d(spec["stem_width"]), nn.ReLU(inplace=True)]
    if spec["max_pool"]:
        layers.append(nn.MaxPool2d(*spec["max_pool"]))
    inplanes = spec["stem_width"]
    for planes, blocks, stride in zip(spec["widths"], spec["blocks"], spec["strides"]):
        for i in range(blocks):
            st = stride if i == 0 else 1
            down = None
            if st != 1 or inplanes != planes * block.expansion:
                down = nn.Sequential(nn.Conv2d(inplanes, planes * block.expansion, 1, st, bias=False),
                                     nn.BatchNorm2d(planes * block.expansion))
            layers.append(block(inplanes, planes, st, down))
            inplanes = planes * block.expansion
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(inplanes, spec["classes"])]
    return nn.Sequential(*layers)


def sgd_step(net, opt, loss_fn, x, y):
    """One SGD step on the ready batch, read back so the clock sees it finished."""
    def work():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        loss.item()
    return work


def timed(work, seconds, warmup):
    for _ in range(warmup):
        work()
    start = time.perf_counter()
    batches = 0
    while True:
        work()
        batches += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return batches, elapsed


def main():
    spec = json.loads(sys.argv[1])
    import torch
    import torch.nn as nn
    torch.set_num_threads(spec["threads"])
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(0)
    net = build(spec, torch, nn)
    b, r = spec["batch"], spec["res"]
    x = torch.randn(b, spec["channels"], r, r)
    y = torch.randint(0, spec["classes"], (b,))
    loss_fn = nn.CrossEntropyLoss()
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(),
           "blas": blas(torch), "phases": {}}
    seconds, warmup = spec["seconds"], spec["warmup"]

    for phase in spec["phases"]:
        if phase == "forward":
            net.eval()
            def work():
                with torch.inference_mode():
                    net(x).sum().item()
        elif phase == "train_step":
            net.train()
            for prm in net.parameters():
                prm.requires_grad_(True)
            opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
            work = sgd_step(net, opt, loss_fn, x, y)
        elif phase == "finetune_step":
            # FixRes: trunk frozen and in inference mode, last BatchNorm on batch statistics, SGD on fc.
            net.eval()
            for prm in net.parameters():
                prm.requires_grad_(False)
            fc = net[-1]
            for prm in fc.parameters():
                prm.requires_grad_(True)
            last_bn = [m for m in net.modules() if isinstance(m, nn.BatchNorm2d)][-1]
            last_bn.train()
            opt = torch.optim.SGD(fc.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
            work = sgd_step(net, opt, loss_fn, x, y)
        elif phase == "matmul":
            n = spec["matmul_size"]
            a = torch.randn(n, n)
            c = torch.randn(n, n)
            def work():
                torch.mm(a, c).sum().item()
            batches, elapsed = timed(work, seconds, 1)
            out["phases"][phase] = {"gflops": 2.0 * n ** 3 * batches / elapsed / 1e9, "seconds": elapsed}
            continue
        else:
            raise SystemExit("unknown phase " + phase)
        batches, elapsed = timed(work, seconds, warmup)
        out["phases"][phase] = {"images_per_second": batches * b / elapsed, "seconds": elapsed, "batches": batches}
    print(json.dumps(out))


def blas(torch):
    cfg = torch.__config__.show()
    for name in ("mkl", "openblas", "blis"):
        if "BLAS_INFO=" + name in cfg or "LAPACK_INFO=" + name in cfg:
            return name
    # Debian builds pick the BLAS at run time through update-alternatives
    try:
        import os
        path = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
        return os.path.basename(os.path.dirname(path)) or path
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
