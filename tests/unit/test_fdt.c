/* DTB reader and writer, and the DTB the hypervisor gives its guests. */
#include "hyp/guest_dtb.h"
#include "tb/fdt.h"
#include "tb/hcall.h"
#include "testmem.h"

static u8 buf[8192];

static int build_small(void)
{
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_begin_node(&w, "chosen");
	fdt_w_prop_string(&w, "bootargs", "a=1 b=2");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "memory@40000000");
	const u32 reg[4] = {0, 0x40000000, 0, 0x10000000};
	fdt_w_prop_cells(&w, "reg", reg, 4);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}

static void test_roundtrip(void **state)
{
	(void)state;
	int size = build_small();
	assert_true(size > 0);
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_OK);
	assert_int_equal(fdt_total_size(buf), size);
	int chosen = fdt_path_offset(buf, "/chosen");
	assert_true(chosen > 0);
	assert_string_equal(fdt_getprop_string(buf, chosen, "bootargs"), "a=1 b=2");
	assert_null(fdt_getprop(buf, chosen, "nothing", NULL));
	int mem = fdt_path_offset(buf, "/memory");
	assert_true(mem > 0);
	assert_int_equal(fdt_path_offset(buf, "/memory@40000000"), mem);
	assert_int_equal(fdt_path_offset(buf, "/memory@50000000"), FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_path_offset(buf, "/nope"), FDT_ERR_NOTFOUND);
	u64 base, len;
	assert_int_equal(fdt_first_reg(buf, 0, mem, &base, &len), FDT_OK);
	assert_int_equal(base, 0x40000000);
	assert_int_equal(len, 0x10000000);
}

static void test_check_rejects(void **state)
{
	(void)state;
	int size = build_small();
	assert_int_equal(fdt_check(buf, 10), FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_check(buf, (size_t)size - 1), FDT_ERR_TRUNCATED);
	buf[0] ^= 0xff;
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_ERR_MAGIC);
	buf[0] ^= 0xff;
	/* Corrupt the first token of the structure block. */
	u8 saved = buf[FDT_HEADER_LEN + 16 + 3];
	buf[FDT_HEADER_LEN + 16 + 3] = 7;
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_ERR_STRUCTURE);
	buf[FDT_HEADER_LEN + 16 + 3] = saved;
	/* A property length running past the block. */
	build_small();
	int chosen = fdt_path_offset(buf, "/chosen");
	u32 len;
	const u8 *p = fdt_getprop(buf, chosen, "bootargs", &len);
	u8 *lenp = (u8 *)p - 8;
	lenp[0] = 0x7f;
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_ERR_STRUCTURE);
	assert_int_equal(fdt_check(buf, 0), FDT_ERR_TRUNCATED);
	/* A structure block that stops without FDT_END, and a version-16 header. */
	size = build_small();
	u32 st_len = (u32)buf[38] << 8 | buf[39]; /* size_dt_struct (small here) */
	buf[38] = (u8)((st_len - 4) >> 8);
	buf[39] = (u8)(st_len - 4);
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_ERR_STRUCTURE);
	size = build_small();
	buf[23] = 16;
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_ERR_VERSION);
}

static void test_writer_overflow(void **state)
{
	(void)state;
	struct fdt_writer w;
	fdt_w_init(&w, buf, 80);
	fdt_w_begin_node(&w, "");
	fdt_w_prop_string(&w, "bootargs", "a long string that does not fit in eighty bytes at all");
	fdt_w_end_node(&w);
	assert_int_equal(fdt_w_finish(&w), FDT_ERR_NOSPACE);
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	assert_int_equal(fdt_w_finish(&w), FDT_ERR_STRUCTURE); /* unclosed node */
}

/* The writer refuses the trees the reader would reject or misread (found by fuzz_fdt). */
static void test_writer_misuse(void **state)
{
	(void)state;
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	assert_int_equal(fdt_w_finish(&w), FDT_ERR_STRUCTURE); /* no root node */
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_prop_u32(&w, "outside", 1); /* a property before any node */
	fdt_w_begin_node(&w, "");
	fdt_w_end_node(&w);
	assert_int_equal(fdt_w_finish(&w), FDT_ERR_STRUCTURE);
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "child");
	fdt_w_end_node(&w);
	fdt_w_prop_u32(&w, "late", 1); /* after a subnode: fdt_getprop would not see it */
	fdt_w_end_node(&w);
	assert_int_equal(fdt_w_finish(&w), FDT_ERR_STRUCTURE);
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, ""); /* a second root */
	fdt_w_end_node(&w);
	assert_int_equal(fdt_w_finish(&w), FDT_ERR_STRUCTURE);
	/* The first error sticks: a later oversized property does not replace it. */
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_end_node(&w);
	const u32 cells[17] = {0};
	fdt_w_prop_cells(&w, "many", cells, 17);
	assert_int_equal(fdt_w_finish(&w), FDT_ERR_STRUCTURE);
}

/* A property name cut short by the end of the strings block matches no longer name, and a
 * node offset that is not a node's gives no property outside the structure block (found by
 * fuzz_fdt). */
static void test_getprop_bounds(void **state)
{
	(void)state;
	int size = build_small();
	int mem = fdt_path_offset(buf, "/memory");
	assert_non_null(fdt_getprop(buf, mem, "reg", NULL));
	/* "reg" is the last string: take its "g" and NUL out of the block. */
	u32 strs = (u32)buf[34] << 8 | buf[35]; /* size_dt_strings (small here) */
	buf[34] = (u8)((strs - 2) >> 8);
	buf[35] = (u8)(strs - 2);
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_OK);
	assert_null(fdt_getprop(buf, mem, "reg", NULL));
	assert_null(fdt_getprop(buf, mem, "re", NULL));
	/* A value that looks like a node whose first property runs past the block: cells
	 * BEGIN_NODE, an empty name, PROP with a huge length; its name offset is the next
	 * cell (END_NODE, 2), which points at "ke" in the strings block ("fake"). */
	static const u32 fake[4] = {1, 0, 3, 0x7fffff00};
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_prop_cells(&w, "fake", fake, 4);
	fdt_w_end_node(&w);
	size = fdt_w_finish(&w);
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_OK);
	u32 len;
	const u8 *val = fdt_getprop(buf, 0, "fake", &len);
	assert_non_null(val);
	int fake_node = (int)(val - buf) - (FDT_HEADER_LEN + 16); /* structure-block offset */
	assert_null(fdt_getprop(buf, fake_node, "ke", NULL));
}

static void test_guest_dtb(void **state)
{
	(void)state;
	const char args[] = "bench=all reps=3";
	const struct guest_dtb_params p = {0x40000000,	     128u << 20, args,
					   sizeof(args) - 1, "stage2",	 0x09000000};
	int size = guest_dtb_build(buf, sizeof(buf), &p);
	assert_true(size > 0);
	assert_int_equal(fdt_check(buf, (size_t)size), FDT_OK);
	assert_string_equal(fdt_getprop_string(buf, fdt_path_offset(buf, "/chosen"), "bootargs"),
			    args);
	assert_string_equal(fdt_getprop_string(buf, fdt_path_offset(buf, "/chosen"), "stdout-path"),
			    "/pl011@9000000");
	u64 base, len;
	int mem = fdt_path_offset(buf, "/memory@40000000");
	assert_int_equal(fdt_first_reg(buf, 0, mem, &base, &len), FDT_OK);
	assert_int_equal(base, 0x40000000);
	assert_int_equal(len, 128u << 20);
	assert_string_equal(fdt_getprop_string(buf, mem, "device_type"), "memory");
	int psci = fdt_path_offset(buf, "/psci");
	assert_string_equal(fdt_getprop_string(buf, psci, "method"), "hvc");
	assert_string_equal(fdt_getprop_string(buf, psci, "compatible"), "arm,psci-1.0");
	int uart = fdt_path_offset(buf, "/pl011");
	assert_true(uart > 0);
	assert_int_equal(fdt_first_reg(buf, 0, uart, &base, &len), FDT_OK);
	assert_int_equal(base, 0x09000000);
	int cpu = fdt_path_offset(buf, "/cpus/cpu@0");
	assert_string_equal(fdt_getprop_string(buf, cpu, "enable-method"), "psci");
	int hv = fdt_path_offset(buf, "/hypervisor");
	assert_string_equal(fdt_getprop_string(buf, hv, "compatible"), TB_DT_COMPATIBLE);
	assert_string_equal(fdt_getprop_string(buf, hv, "memory-module"), "stage2");
	/* No interrupt controller is described (the hypervisor emulates none). */
	assert_int_equal(fdt_path_offset(buf, "/intc"), FDT_ERR_NOTFOUND);
}

static void test_guest_dtb_too_long(void **state)
{
	(void)state;
	static char args[4096];
	memset(args, 'x', sizeof(args) - 1);
	const struct guest_dtb_params p = {0x40000000,	     16u << 20, args,
					   sizeof(args) - 1, "stage2",	0x09000000};
	assert_true(guest_dtb_build(buf, sizeof(buf), &p) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),	       cmocka_unit_test(test_check_rejects),
	    cmocka_unit_test(test_writer_overflow),    cmocka_unit_test(test_guest_dtb),
	    cmocka_unit_test(test_guest_dtb_too_long), cmocka_unit_test(test_writer_misuse),
	    cmocka_unit_test(test_getprop_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
