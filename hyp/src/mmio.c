/* The emulated device table and the emulated PL011 (ARM DDI 0183, PrimeCell UART r1p5).
 * Transmit goes to the real console; there is no input; interrupts are never raised. */
#include "hyp/mmio.h"
#include "hyp/console.h"
#include "hyp/layout.h"

/* PL011 registers (DDI 0183 table 3-1). */
#define UARTDR	      0x000u
#define UARTRSR	      0x004u
#define UARTFR	      0x018u
#define UARTILPR      0x020u
#define UARTIBRD      0x024u
#define UARTFBRD      0x028u
#define UARTLCR_H     0x02cu
#define UARTCR	      0x030u
#define UARTIFLS      0x034u
#define UARTIMSC      0x038u
#define UARTRIS	      0x03cu
#define UARTMIS	      0x040u
#define UARTICR	      0x044u
#define UARTDMACR     0x048u
#define UARTPERIPHID0 0xfe0u
#define FR_RXFE	      BIT(4)
#define FR_TXFE	      BIT(7)
#define CR_RESET      0x300u /* TXE | RXE */
#define IFLS_RESET    0x12u

/* Peripheral and PrimeCell identification registers 0xfe0..0xffc, as QEMU's pl011. */
static const u8 pl011_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

static struct {
	u32 ilpr, ibrd, fbrd, lcr_h, imsc, dmacr;
	u32 cr;
	u32 ifls;
	bool initialised;
} uart;

static void pl011_init_once(void)
{
	if (!uart.initialised) {
		uart.cr = CR_RESET;
		uart.ifls = IFLS_RESET;
		uart.initialised = true;
	}
}

static u32 pl011_read(u32 off, u32 size UNUSED)
{
	pl011_init_once();
	if (off >= UARTPERIPHID0 && off < UARTPERIPHID0 + sizeof(pl011_id) * 4 && (off & 3) == 0) {
		return pl011_id[(off - UARTPERIPHID0) / 4];
	}
	switch (off) {
	case UARTDR:
		return 0; /* no input */
	case UARTFR:
		return FR_TXFE | FR_RXFE; /* transmit always done, nothing received */
	case UARTILPR:
		return uart.ilpr;
	case UARTIBRD:
		return uart.ibrd;
	case UARTFBRD:
		return uart.fbrd;
	case UARTLCR_H:
		return uart.lcr_h;
	case UARTCR:
		return uart.cr;
	case UARTIFLS:
		return uart.ifls;
	case UARTIMSC:
		return uart.imsc;
	case UARTDMACR:
		return uart.dmacr;
	default:
		return 0; /* RSR, RIS, MIS: no errors, no interrupts */
	}
}

static void pl011_write(u32 off, u32 size UNUSED, u32 val)
{
	if (off == UARTDR) { /* the hot path: transmit */
		console_putc((char)(val & MASK(8)));
		return;
	}
	pl011_init_once();
	switch (off) {
	case UARTILPR:
		uart.ilpr = val & MASK(8);
		break;
	case UARTIBRD:
		uart.ibrd = val & MASK(16);
		break;
	case UARTFBRD:
		uart.fbrd = val & MASK(6);
		break;
	case UARTLCR_H:
		uart.lcr_h = val & MASK(8);
		break;
	case UARTCR:
		uart.cr = val & MASK(16);
		break;
	case UARTIFLS:
		uart.ifls = val & MASK(6);
		break;
	case UARTIMSC:
		uart.imsc = val & MASK(11);
		break;
	case UARTDMACR:
		uart.dmacr = val & MASK(3);
		break;
	default:
		break; /* RSR/ECR (clear errors), ICR (clear interrupts), read-only registers */
	}
}

const struct mmio_device pl011_device = {
    .name = "pl011",
    .base = PL011_IPA,
    .size = PL011_SIZE,
    .read = pl011_read,
    .write = pl011_write,
};

const struct mmio_device *const mmio_devices[] = {&pl011_device};
const u32 mmio_ndevices = ARRAY_SIZE(mmio_devices);
