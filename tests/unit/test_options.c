/* The hypervisor command line. */
#include "hyp/options.h"
#include "testmem.h"

static struct hyp_options o;
static char err[200];

static void test_full(void **state)
{
	(void)state;
	assert_true(options_parse("mm=stage2 mem=256M image=0x54000000,4096 stage2.fill=eager "
				  "stage2.page=4k -- status=3  bench=all",
				  &o, err, sizeof(err)));
	assert_int_equal(o.mm_len, 6);
	assert_memory_equal(o.mm_name, "stage2", 6);
	assert_int_equal(o.mem_bytes, 256u << 20);
	assert_true(o.have_image);
	assert_int_equal(o.image_pa, 0x54000000);
	assert_int_equal(o.image_size, 4096);
	assert_int_equal(o.n_module_opts, 2);
	assert_memory_equal(o.module_opts[0].key, "fill", 4);
	assert_int_equal(o.module_opts[0].klen, 4);
	assert_memory_equal(o.module_opts[0].val, "eager", 5);
	assert_int_equal(o.module_opts[1].vlen, 2);
	assert_string_equal(o.guest_cmdline, "status=3  bench=all");
}

static void test_minimal_and_empty_guest(void **state)
{
	(void)state;
	assert_true(options_parse("mm=shadow", &o, err, sizeof(err)));
	assert_string_equal(o.guest_cmdline, "");
	assert_false(o.have_image);
	assert_true(options_parse("mm=shadow --", &o, err, sizeof(err)));
	assert_string_equal(o.guest_cmdline, "");
	assert_true(options_parse("mem=1G mm=x -- a -- b", &o, err, sizeof(err)));
	assert_int_equal(o.mem_bytes, 1ull << 30);
	assert_string_equal(o.guest_cmdline, "a -- b");
}

static void expect_error(const char *cmdline, const char *needle)
{
	assert_false(options_parse(cmdline, &o, err, sizeof(err)));
	if (strstr(err, needle) == NULL) {
		fail_msg("'%s': message '%s' lacks '%s'", cmdline, err, needle);
	}
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "no memory module");
	expect_error(NULL, "no memory module");
	expect_error("mm=", "no memory module");
	expect_error("mm=stage2 bogus=1", "unknown option 'bogus'");
	expect_error("mm=stage2 lonely", "malformed option 'lonely'");
	expect_error("mm=stage2 mem=12Q", "mem=: not a size");
	expect_error("mm=stage2 mem=", "mem=: not a size");
	expect_error("mm=stage2 image=0x1000", "image=<address>,<bytes>");
	expect_error("mm=stage2 image=zz,3", "image=<address>,<bytes>");
	expect_error("mm=stage2 shadow.sync=unsync", "module 'shadow'");
	expect_error("stage2.fill=lazy mm=shadow", "module 'stage2'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_minimal_and_empty_guest),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
