/* The guest's device tree: what QEMU virt would describe, minus what the hypervisor does not
 * provide (no GIC, no timer node: the guest gets no interrupts yet). */
#include "hyp/guest_dtb.h"
#include "hyp/layout.h"
#include "tb/fdt.h"
#include "tb/fmt.h"
#include "tb/hcall.h"
#include "tb/str.h"

#define APB_PCLK_PHANDLE 1
#define APB_PCLK_HZ	 24000000u

int guest_dtb_build(void *buf, u32 cap, const struct guest_dtb_params *p)
{
	struct fdt_writer w;
	char name[32];
	char args[1024];
	if (p->bootargs_len >= sizeof(args)) {
		return FDT_ERR_NOSPACE;
	}
	memcpy(args, p->bootargs, p->bootargs_len);
	args[p->bootargs_len] = 0;

	fdt_w_init(&w, buf, cap);
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_prop_string(&w, "compatible", "linux,dummy-virt");
	fdt_w_prop_string(&w, "model", "testbed virtual machine");

	fdt_w_begin_node(&w, "chosen");
	fdt_w_prop_string(&w, "bootargs", args);
	tb_snprintf(name, sizeof(name), "/pl011@%x", p->uart_ipa);
	fdt_w_prop_string(&w, "stdout-path", name);
	fdt_w_end_node(&w);

	tb_snprintf(name, sizeof(name), "memory@%x", p->ram_ipa);
	fdt_w_begin_node(&w, name);
	fdt_w_prop_string(&w, "device_type", "memory");
	const u32 reg[4] = {0, p->ram_ipa, 0, p->ram_size};
	fdt_w_prop_cells(&w, "reg", reg, 4);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "cpus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 0);
	fdt_w_begin_node(&w, "cpu@0");
	fdt_w_prop_string(&w, "device_type", "cpu");
	fdt_w_prop_string(&w, "compatible", "arm,cortex-a15");
	fdt_w_prop_u32(&w, "reg", 0);
	fdt_w_prop_string(&w, "enable-method", "psci");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);

	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	fdt_w_begin_node(&w, "psci");
	fdt_w_prop(&w, "compatible", psci_compat, sizeof(psci_compat));
	fdt_w_prop_string(&w, "method", "hvc");
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "apb-pclk");
	fdt_w_prop_string(&w, "compatible", "fixed-clock");
	fdt_w_prop_u32(&w, "#clock-cells", 0);
	fdt_w_prop_u32(&w, "clock-frequency", APB_PCLK_HZ);
	fdt_w_prop_string(&w, "clock-output-names", "clk24mhz");
	fdt_w_prop_u32(&w, "phandle", APB_PCLK_PHANDLE);
	fdt_w_end_node(&w);

	static const char uart_compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	tb_snprintf(name, sizeof(name), "pl011@%x", p->uart_ipa);
	fdt_w_begin_node(&w, name);
	fdt_w_prop(&w, "compatible", uart_compat, sizeof(uart_compat));
	const u32 ureg[4] = {0, p->uart_ipa, 0, PL011_SIZE};
	fdt_w_prop_cells(&w, "reg", ureg, 4);
	const u32 clocks[2] = {APB_PCLK_PHANDLE, APB_PCLK_PHANDLE};
	fdt_w_prop_cells(&w, "clocks", clocks, 2);
	fdt_w_prop(&w, "clock-names", clock_names, sizeof(clock_names));
	fdt_w_end_node(&w);

	/* How a guest learns it runs under this hypervisor (tb/hcall.h). */
	fdt_w_begin_node(&w, "hypervisor");
	fdt_w_prop_string(&w, "compatible", TB_DT_COMPATIBLE);
	const u32 abi[2] = {TB_ABI_MAJOR, TB_ABI_MINOR};
	fdt_w_prop_cells(&w, "abi-version", abi, 2);
	fdt_w_prop_string(&w, "memory-module", p->mm_name);
	fdt_w_end_node(&w);

	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}
