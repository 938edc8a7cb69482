-- Fragment: the changing bits of one device and reason, summed (the benchmark divides by the bit).
SUM(s.$device_changing & $bit)
