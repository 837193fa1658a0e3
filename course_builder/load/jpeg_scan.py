"""Does a sequential JPEG's compressed data decode? Pillow cannot say.

libjpeg, under Pillow, meets a code no Huffman table holds, or data that ends before the last
block, with a warning and grey pixels, and Pillow drops the warning: a JPEG with a good header
and garbage scan data "loads". This walks the entropy-coded data of every scan of a baseline
or extended sequential JPEG (what cameras and editors write) code by code, the way a decoder
does, and says where it stops making sense. Walking codes in Python is slow (seconds for a large
photo), so each scan is walked for its first `BUDGET` bytes: garbage from the start of the data,
the usual damage, is found; damage later in a large photo is left to Pillow. Progressive JPEGs
are left to Pillow.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SEQUENTIAL = {0xC0, 0xC1}
PROGRESSIVE_OR_OTHER = {0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
RESTARTS = range(0xD0, 0xD8)
BUDGET = 16_384
"""Bytes of each scan's compressed data that are walked code by code."""


class DamagedScan(ValueError):
    """The compressed image data does not decode; the message says how, for the author's fix line."""


class _BudgetSpent(Exception):
    """The walk reached `BUDGET` without finding damage."""


@dataclass
class Component:
    h: int
    v: int
    dc: int = 0
    ac: int = 0


def _table(lengths: bytes, symbols: bytes) -> list[tuple[int, int]]:
    """A 16-bit lookup: for every 16-bit window, (code length, symbol); length 0 means no code matches."""
    table = [(0, 0)] * 65536
    code, index = 0, 0
    for length in range(1, 17):
        for _ in range(lengths[length - 1]):
            if code >= 1 << length:
                raise DamagedScan("a Huffman table is malformed")
            first = code << (16 - length)
            table[first : first + (1 << (16 - length))] = [(length, symbols[index])] * (1 << (16 - length))
            code, index = code + 1, index + 1
        code <<= 1
    return table


class _Bits:
    def __init__(self, data: bytes, budget: int):
        self.complete = len(data) <= budget
        data = data[:budget]
        self.bits = "".join(f"{byte:08b}" for byte in data) + "1" * 16  # a decoder pads the end with ones
        self.end = len(data) * 8
        self.pos = 0

    def _past_end(self) -> None:
        if not self.complete:
            raise _BudgetSpent
        raise DamagedScan("its compressed image data ends too early")

    def symbol(self, table: list[tuple[int, int]]) -> int:
        length, symbol = table[int(self.bits[self.pos : self.pos + 16], 2)]
        if self.pos + (length or 16) > self.end:  # no code matches only because the data ends here
            self._past_end()
        if length == 0:
            raise DamagedScan("its compressed image data is garbled")
        self.pos += length
        return symbol

    def skip(self, count: int) -> None:
        self.pos += count
        if self.pos > self.end:
            self._past_end()


def check_jpeg_scans(data: bytes) -> None:
    """Raise DamagedScan when a sequential JPEG's compressed data does not decode to the end."""
    pos, frame, tables, restart = 2, None, {}, 0
    components: dict[int, Component] = {}
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            raise DamagedScan("its structure is broken")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xD9:
            return
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        body = data[pos + 4 : pos + 2 + length]
        pos += 2 + length
        if marker in PROGRESSIVE_OR_OTHER:
            return
        if marker in SEQUENTIAL:
            height, width, count = struct.unpack(">HHB", body[1:6])
            for i in range(count):
                ident, sampling = body[6 + 3 * i], body[7 + 3 * i]
                components[ident] = Component(sampling >> 4, sampling & 15)
            frame = (width, height)
        elif marker == 0xC4:
            at = 0
            while at < len(body):
                kind, lengths = body[at], body[at + 1 : at + 17]
                total = sum(lengths)
                tables[(kind >> 4, kind & 15)] = _table(lengths, body[at + 17 : at + 17 + total])
                at += 17 + total
        elif marker == 0xDD:
            (restart,) = struct.unpack(">H", body[:2])
        elif marker == 0xDA:
            if frame is None:
                raise DamagedScan("its image data comes before its size")
            scan = []
            for i in range(body[0]):
                component = components.get(body[1 + 2 * i])
                if component is None:
                    raise DamagedScan("a scan names a colour channel the image does not have")
                selectors = body[2 + 2 * i]
                scan.append((component, tables.get((0, selectors >> 4)), tables.get((1, selectors & 15))))
            pos = _walk_scan(data, pos, frame, list(components.values()), scan, restart)
    raise DamagedScan("it ends before its last image data")


def _segments(data: bytes, pos: int) -> tuple[list[bytes], int]:
    """The scan's compressed bytes, unstuffed, split at restart markers; and where the next marker starts."""
    segments, current, start = [], bytearray(), pos
    while True:
        stop = data.find(b"\xff", start)
        if stop < 0 or stop + 1 >= len(data):
            raise DamagedScan("its compressed image data ends too early")
        current += data[start:stop]
        following = data[stop + 1]
        if following == 0x00:
            current.append(0xFF)
            start = stop + 2
        elif following in RESTARTS:
            segments.append(bytes(current))
            current, start = bytearray(), stop + 2
        elif following == 0xFF:
            start = stop + 1
        else:
            segments.append(bytes(current))
            return segments, stop


def _walk_scan(data: bytes, pos: int, frame: tuple[int, int], all_components: list[Component], scan: list, restart: int) -> int:
    width, height = frame
    hmax = max(c.h for c in all_components)
    vmax = max(c.v for c in all_components)
    if len(scan) == 1:
        component = scan[0][0]
        blocks_wide = _ceil(_ceil(width * component.h, hmax), 8)
        blocks_high = _ceil(_ceil(height * component.v, vmax), 8)
        units, per_unit = blocks_wide * blocks_high, [scan[0]]
    else:
        units = _ceil(width, 8 * hmax) * _ceil(height, 8 * vmax)
        per_unit = [entry for entry in scan for _ in range(entry[0].h * entry[0].v)]
    if any(dc is None or ac is None for _, dc, ac in per_unit):
        raise DamagedScan("a scan uses a Huffman table the file does not define")
    segments, end = _segments(data, pos)
    interval = restart or units
    if len(segments) < _ceil(units, interval):
        raise DamagedScan("its compressed image data ends too early")
    done, budget = 0, BUDGET
    for segment in segments:
        if budget <= 0:
            break
        bits = _Bits(segment, budget)
        budget -= len(segment)
        try:
            _walk_units(bits, min(interval, units - done), per_unit)
        except _BudgetSpent:
            break
        done += min(interval, units - done)
        if done >= units:
            break
    return end


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


def _walk_units(bits: _Bits, count: int, per_unit: list) -> None:
    """Walk `count` units (MCUs) of Huffman codes: a DC difference and up to 63 AC coefficients per block."""
    for _ in range(count):
        for _component, dc, ac in per_unit:
            bits.skip(bits.symbol(dc))
            k = 1
            while k < 64:
                rs = bits.symbol(ac)
                if rs & 15:
                    k += (rs >> 4) + 1
                    bits.skip(rs & 15)
                elif rs == 0xF0:
                    k += 16
                else:
                    break
            if k > 64:
                raise DamagedScan("its compressed image data is garbled")
