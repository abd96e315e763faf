#!/usr/bin/python3
"""Generates the PyTorch parity fixtures under src/test/resources/parity/.

Run offline with Debian's PyTorch (the tests never need Python):

    apt-get install -y python3-torch python3-torchvision
    /usr/bin/python3 tools/make_parity_fixtures.py [--out src/test/resources/parity]

Each fixture is a network with random weights, an input batch and the logits PyTorch computes in
eval mode (every BatchNorm on its running statistics):

  resnet18      torchvision.models.resnet18(num_classes=10). Its weights (11M floats, 45 MB) are
                NOT committed: they come from a portable generator (splitmix64, below) that
                io.fixres.model.ParityWeights reproduces bit for bit in Java, so the fixture holds
                only the input and the logits (resnet18.io.safetensors).
  resnet-small  the project's small ResNet (3x3 stem, no max-pool, three stages of torchvision
                BasicBlocks, widths 32/64/128), 1 input channel, 10 classes, PyTorch's own init,
                BN statistics from three training-mode batches, BN affine and fc weight randomised. Weights
                committed as safetensors (resnet-small.safetensors, 2.8 MB, with
                num_batches_tracked and a __metadata__ entry like timm's files).
  resnet-small-w025
                the same at width x0.25 with 3 input channels, saved with numpy.savez under
                DataParallel's 'module.' prefix (resnet-small-w025.npz): the npz reader, the width
                inference and the prefix stripping.

Write a network's full state dict (with num_batches_tracked) to try `fixres import` on, e.g. a
torchvision resnet50 with the portable weights (100 MB, not committed):

    /usr/bin/python3 tools/make_parity_fixtures.py --write-weights /tmp/resnet50.safetensors --fixture resnet50

Check an exported checkpoint loads into torchvision with strict key matching and gives the
fixture's logits:

    /usr/bin/python3 tools/make_parity_fixtures.py --check-export exported.safetensors --fixture resnet18
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, conv1x1

MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


# ------------------------------------------------------------------ portable weights (mirrored in Java)

def fnv1a64(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & MASK64
    return h


def splitmix64_uniform(seed, n):
    """n uniforms in [0, 1): splitmix64 outputs for states seed + k * gamma, k = 1..n, top 24 bits."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + np.arange(1, n + 1, dtype=np.uint64) * np.uint64(GOLDEN_GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) * 2.0 ** -24


def portable_tensor(key, shape, seed):
    """The value of state-dict entry `key`: a rule per kind of tensor, computed in float64, rounded to float32."""
    n = int(np.prod(shape)) if len(shape) else 1
    u = splitmix64_uniform((fnv1a64(key) ^ seed) & MASK64, n)
    if key.endswith(".weight") and len(shape) >= 2:  # conv or fc: Kaiming-uniform bound sqrt(6 / fan_in)
        fan_in = int(np.prod(shape[1:]))
        v = (2.0 * u - 1.0) * math.sqrt(6.0 / fan_in)
    elif key.endswith(".weight"):  # BatchNorm gamma
        v = 0.5 + 0.5 * u
    elif key.endswith(".bias") or key.endswith(".running_mean"):
        v = 0.1 * (2.0 * u - 1.0)
    elif key.endswith(".running_var"):
        v = 0.5 + u
    else:
        raise ValueError("no generator rule for " + key)
    return v.astype(np.float32).reshape(shape)


def load_portable_weights(model, seed):
    state = model.state_dict()
    with torch.no_grad():
        for key, tensor in state.items():
            if key.endswith("num_batches_tracked"):
                continue
            tensor.copy_(torch.from_numpy(portable_tensor(key, tuple(tensor.shape), seed)))


# ------------------------------------------------------------------ the small ResNet, torchvision-style

class SmallResNet(nn.Module):
    """io.fixres.model.Architecture.RESNET_SMALL: 3x3/1 stem, no max-pool, stages of 2 BasicBlocks, strides 1, 2, 2."""

    def __init__(self, in_channels=1, num_classes=10, width=1.0):
        super().__init__()
        widths = [int(round(w * width)) for w in (32, 64, 128)]
        self.inplanes = widths[0]
        self.conv1 = nn.Conv2d(in_channels, widths[0], kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = self._make_layer(widths[0], 2, 1)
        self.layer2 = self._make_layer(widths[1], 2, 2)
        self.layer3 = self._make_layer(widths[2], 2, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[2], num_classes)

    def _make_layer(self, planes, blocks, stride):  # torchvision's ResNet._make_layer for BasicBlock
        downsample = None
        if stride != 1 or self.inplanes != planes:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes, stride), nn.BatchNorm2d(planes))
        layers = [BasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes
        layers += [BasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def torch_init_with_moved_statistics(model, input_shape):
    """PyTorch's default init, BN running statistics from 3 training batches, BN gamma/beta and fc randomised."""
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(8, *input_shape[1:]))
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.1, 0.1)
        # PyTorch's fc init (+-1/sqrt(features)) gives logits of ~0.1; spread them over units so 1e-4 is a tight test
        model.fc.weight.uniform_(-1.0, 1.0)


# ------------------------------------------------------------------ safetensors without the safetensors package

DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}


def write_safetensors(path, arrays, metadata=None):
    """The safetensors layout: u64 little-endian header length, JSON header (space-padded to 8 bytes), raw data."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for key, array in arrays.items():
        array = np.ascontiguousarray(array)
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[key] = {"dtype": DTYPES[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    out = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        dtype = {"F32": "<f4", "I64": "<i8"}[entry["dtype"]]
        begin, end = entry["data_offsets"]
        out[key] = np.frombuffer(data[begin:end], dtype=dtype).reshape(entry["shape"])
    return out


def state_arrays(model, prefix=""):
    return {prefix + k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}


# ------------------------------------------------------------------ fixtures

FIXTURES = {
    # name: (builder, input shape, weights)
    "resnet18": (lambda: torchvision.models.resnet18(num_classes=10), (2, 3, 64, 64), "portable"),
    "resnet-small": (lambda: SmallResNet(1, 10, 1.0), (2, 1, 28, 28), "safetensors"),
    "resnet-small-w025": (lambda: SmallResNet(3, 10, 0.25), (2, 3, 32, 32), "npz"),
}
EXTRA_NETWORKS = {  # for --write-weights only
    "resnet50": lambda: torchvision.models.resnet50(),
}
PORTABLE_SEED = 20190607  # the FixRes arXiv date


def make(name, out_dir):
    build, input_shape, storage = FIXTURES[name]
    torch.manual_seed(7)
    model = build()
    if storage == "portable":
        load_portable_weights(model, PORTABLE_SEED)
    else:
        torch_init_with_moved_statistics(model, input_shape)
    model.eval()
    x = torch.randn(*input_shape)
    with torch.no_grad():
        logits = model(x)
        logits64 = model.double()(x.double())
        model.float()
    descriptor = {
        "fixture": name,
        "architecture": "resnet18" if name == "resnet18" else "resnet-small",
        "num_classes": int(logits.shape[1]),
        "input_channels": input_shape[1],
        "width_multiplier": {"resnet-small-w025": 0.25}.get(name, 1.0),
        "input_shape": list(input_shape),
        "weights": None,
        "io": name + ".io.safetensors",
        "logits_max_abs": float(logits.abs().max()),
        "float32_vs_float64_max_abs_diff": float((logits.double() - logits64).abs().max()),
        "generated_by": "tools/make_parity_fixtures.py with torch %s, torchvision %s, numpy %s"
                        % (torch.__version__, torchvision.__version__, np.__version__),
    }
    if storage == "portable":
        descriptor["weights"] = {"portable_seed": PORTABLE_SEED,
                                 "rule": "io.fixres.model.ParityWeights (splitmix64 per key, see this script)"}
    elif storage == "safetensors":
        file = name + ".safetensors"
        write_safetensors(os.path.join(out_dir, file), state_arrays(model), {"format": "pt"})
        descriptor["weights"] = {"file": file}
    else:
        file = name + ".npz"
        np.savez(os.path.join(out_dir, file), **state_arrays(model, prefix="module."))
        descriptor["weights"] = {"file": file, "key_prefix": "module."}
    write_safetensors(os.path.join(out_dir, descriptor["io"]),
                      {"input": x.numpy(), "logits": logits.numpy()})
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(descriptor, f, indent=2)
        f.write("\n")
    print("%-18s logits max |.| %.3f, float32 vs float64 %.2e" % (
        name, descriptor["logits_max_abs"], descriptor["float32_vs_float64_max_abs_diff"]))


def check_export(path, name, out_dir):
    """Loads a `fixres export` file into the fixture's PyTorch network (strict) and compares logits."""
    build, _, _ = FIXTURES[name]
    model = build()
    state = {k: torch.from_numpy(v.copy()) for k, v in read_safetensors(path).items()}
    result = model.load_state_dict(state, strict=True)
    model.eval()
    io = read_safetensors(os.path.join(out_dir, name + ".io.safetensors"))
    with torch.no_grad():
        logits = model(torch.from_numpy(io["input"].copy())).numpy()
    diff = float(np.abs(logits - io["logits"]).max())
    print("%s loads into %s with strict=True (%s); max |logits - fixture| = %.2e" % (path, name, result, diff))
    return diff


def write_weights(path, name):
    build = EXTRA_NETWORKS[name] if name in EXTRA_NETWORKS else FIXTURES[name][0]
    model = build()
    load_portable_weights(model, PORTABLE_SEED)
    write_safetensors(path, state_arrays(model), {"format": "pt"})
    print("wrote %s: %s with portable weights (seed %d), %d tensors" % (path, name, PORTABLE_SEED, len(model.state_dict())))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="src/test/resources/parity")
    parser.add_argument("--check-export", metavar="FILE")
    parser.add_argument("--write-weights", metavar="FILE")
    parser.add_argument("--fixture", default="resnet18", choices=sorted(FIXTURES) + sorted(EXTRA_NETWORKS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.write_weights:
        write_weights(args.write_weights, args.fixture)
        return
    if args.check_export:
        sys.exit(0 if check_export(args.check_export, args.fixture, args.out) < 1e-4 else 1)
    os.makedirs(args.out, exist_ok=True)
    for name in FIXTURES:
        make(name, args.out)


if __name__ == "__main__":
    main()
