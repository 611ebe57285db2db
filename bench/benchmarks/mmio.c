/* mmio: the cost of one device access: reads of the PL011 flag register (emulated under a
 * hypervisor, direct natively). */
#include "bench.h"

#define UART_FR	     0x18u
#define UART_FR_RXFE (1u << 4)

static void run(struct bench_run *r)
{
	u32 n = param(r, "n"), idle = 0;
	volatile u32 *fr = (volatile u32 *)(KERNEL_UART_VA + UART_FR);
	measure_begin(r);
	for (u32 i = 0; i < n; i++) {
		idle += (*fr & UART_FR_RXFE) != 0;
	}
	measure_end(r, n);
	if (idle != n) {
		bench_fail(r, "the UART reported input in %u of %u reads", n - idle, n);
	}
}

static struct benchmark mmio = {
    .name = "mmio",
    .summary = "reads of an emulated device register",
    .params = {{"n", 1000, 1, 10000000}},
    .run = run,
};
BENCHMARK(mmio);
