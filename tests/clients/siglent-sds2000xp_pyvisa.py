#!/usr/bin/python3
"""An independent client for the siglent-sds2000xp personality: the
waveform example of Siglent's "SDS Series Digital Oscilloscope Programming
Guide" (EN11C/EN11D, "Read waveform data of analog channel"), run through
PyVISA with the pyvisa-py backend on a raw socket.

The sequence and the conversion are the guide's: :WAVeform:STARt 0,
WAV:SOUR C1, WAV:PREamble? (WAVEDESC fields at the guide's offsets:
vertical gain 0x9c, offset 0xa0, code_per_div 0xa4, adc_bit 0xac, interval
0xb0, delay 0xb4, timebase index 0x144, probe 0x148), :ACQuire:POINts?,
:WAVeform:MAXPoint?, :WAVeform:POINt and :WAVeform:WIDTh WORD when needed,
then WAV:DATA? from each :WAVeform:STARt in pieces; volts = code /
code_per_div * vdiv - offset, time = -(tdiv * 10 / 2) + i * interval +
delay. One change: the guide reads answers with read_raw() (USB and VXI-11
end them with EOI); a raw socket has none and blocks may hold line feeds,
so each block is read by its "#<d><len>" header.

Checks the known input (1 V, 10 kHz sine): amplitude within 5 %,
frequency within 1 %. Usage: siglent-sds2000xp_pyvisa.py PORT."""
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sine_check import check_trace  # noqa: E402

try:
    import pyvisa
except ImportError:
    print("skip: PyVISA is not installed")
    sys.exit(77)

TDIV_ENUM = [m * 10.0 ** e for e in range(-10, 4) for m in (1, 2, 5)][:40]
HORI_NUM = 10


def read_block(sds):
    """One "#<d><len><bytes>" answer and its line feed."""
    c = sds.read_bytes(1)
    while c in (b" ", b"\n", b"\r"):
        c = sds.read_bytes(1)
    if c != b"#":
        raise ValueError("not a block: %r" % c)
    d = int(sds.read_bytes(1))
    n = int(sds.read_bytes(d))
    data = sds.read_bytes(n) if n else b""
    if sds.read_bytes(1) != b"\n":
        raise ValueError("the block does not end with a line feed")
    return data


def main_desc(recv):
    vdiv_gain = struct.unpack("f", recv[0x9C:0xA0])[0]
    v_offset = struct.unpack("f", recv[0xA0:0xA4])[0]
    code = struct.unpack("f", recv[0xA4:0xA8])[0]
    adc_bit = struct.unpack("h", recv[0xAC:0xAE])[0]
    interval = struct.unpack("f", recv[0xB0:0xB4])[0]
    delay = struct.unpack("d", recv[0xB4:0xBC])[0]
    tdiv = TDIV_ENUM[struct.unpack("h", recv[0x144:0x146])[0]]
    probe = struct.unpack("f", recv[0x148:0x14C])[0]
    return vdiv_gain * probe, v_offset * probe, interval, delay, tdiv, code, adc_bit


def main():
    port = int(sys.argv[1])
    rm = pyvisa.ResourceManager("@py")
    sds = rm.open_resource("TCPIP0::127.0.0.1::%d::SOCKET" % port)
    sds.read_termination = "\n"
    sds.write_termination = "\n"
    sds.timeout = 30000
    sds.chunk_size = 20 * 1024 * 1024
    print(sds.query("*IDN?").strip())
    sds.write(":WAVeform:STARt 0")
    sds.write("WAV:SOUR C1")
    sds.write("WAV:PREamble?")
    vdiv, ofst, interval, delay, tdiv, code_per_div, adc_bit = main_desc(read_block(sds))
    points = float(sds.query(":ACQuire:POINts?").strip())
    one_piece_num = float(sds.query(":WAVeform:MAXPoint?").strip())
    if points > one_piece_num:
        sds.write(":WAVeform:POINt {}".format(one_piece_num))
    if adc_bit > 8:
        sds.write(":WAVeform:WIDTh WORD")
    read_times = math.ceil(points / one_piece_num)
    recv_all = b""
    for i in range(read_times):
        sds.write(":WAVeform:STARt {}".format(i * one_piece_num))
        sds.write("WAV:DATA?")
        recv_all += read_block(sds)
    if adc_bit > 8:
        codes = [recv_all[2 * i + 1] * 256 + recv_all[2 * i] for i in range(len(recv_all) // 2)]
    else:
        codes = list(recv_all)
    volt = []
    for data in codes:
        if data > pow(2, adc_bit - 1) - 1:
            data -= pow(2, adc_bit)
        volt.append(data / code_per_div * vdiv - ofst)
    time = [-(tdiv * HORI_NUM / 2) + idx * interval + delay for idx in range(len(volt))]
    why = check_trace("C1, %d bits" % adc_bit, time, volt)
    if len(volt) != int(points):
        why = "%d of %d points" % (len(volt), points)
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
