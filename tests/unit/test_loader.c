/* Guest image checking and placement: raw images and ELF32 executables, good and bad. */
#include "hyp/layout.h"
#include "hyp/loader.h"
#include "testmem.h"

#define RAM (16u << 20)

static const struct load_target target = {GUEST_RAM_IPA, RAM - GUEST_DTB_MAX};
static u8 img[8192];
static char err[200];

/* Minimal ELF32 ARM executable with one PT_LOAD (file bytes at 0x100, 0x20 of them). */
struct ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version, entry, phoff, shoff, flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr {
	u32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

static struct ehdr *eh(void)
{
	return (struct ehdr *)img;
}
static struct phdr *ph(u32 i)
{
	return (struct phdr *)(img + sizeof(struct ehdr)) + i;
}

static u32 make_elf(u32 paddr, u32 memsz)
{
	memset(img, 0, sizeof(img));
	memcpy(eh()->ident, "\177ELF\1\1\1", 7);
	eh()->type = 2;
	eh()->machine = 40;
	eh()->version = 1;
	eh()->entry = 0xc0008000 + 0x10;
	eh()->phoff = sizeof(struct ehdr);
	eh()->phentsize = sizeof(struct phdr);
	eh()->phnum = 2;
	*ph(0) = (struct phdr){1, 0x100, 0xc0008000, paddr, 0x20, memsz, 5, 4};
	*ph(1) = (struct phdr){4 /* PT_NOTE */, 0, 0, 0, 0, 0, 0, 0};
	for (u32 i = 0; i < 0x20; i++) {
		img[0x100 + i] = (u8)(i + 1);
	}
	return 0x200;
}

static void test_raw(void **state)
{
	(void)state;
	struct image_info info;
	memset(img, 0xab, sizeof(img));
	assert_true(loader_check(img, 100, &target, &info, err, sizeof(err)));
	assert_false(info.is_elf);
	assert_int_equal(info.entry_ipa, GUEST_RAW_LOAD_IPA);
	assert_int_equal(info.highest_ipa, GUEST_RAW_LOAD_IPA + 100);
	u8 *ram = calloc(1, RAM);
	loader_place(img, 100, &target, ram, &info);
	assert_int_equal(ram[0x10000], 0xab);
	assert_int_equal(ram[0x10000 + 99], 0xab);
	assert_int_equal(ram[0x10000 + 100], 0);
	free(ram);
}

static void test_empty_and_too_large(void **state)
{
	(void)state;
	struct image_info info;
	assert_false(loader_check(img, 0, &target, &info, err, sizeof(err)));
	assert_non_null(strstr(err, "empty"));
	u32 too_big = target.usable - (GUEST_RAW_LOAD_IPA - GUEST_RAM_IPA) + 1;
	u8 *big = calloc(1, too_big);
	assert_false(loader_check(big, too_big, &target, &info, err, sizeof(err)));
	assert_non_null(strstr(err, "larger than guest RAM"));
	assert_true(loader_check(big, too_big - 1, &target, &info, err, sizeof(err)));
	free(big);
}

static void test_elf_good(void **state)
{
	(void)state;
	struct image_info info;
	u32 size = make_elf(0x40100000, 0x1000);
	assert_true(loader_check(img, size, &target, &info, err, sizeof(err)));
	assert_true(info.is_elf);
	assert_int_equal(info.entry_ipa, 0x40100010); /* virtual entry moved to its paddr */
	assert_int_equal(info.lowest_ipa, 0x40100000);
	assert_int_equal(info.highest_ipa, 0x40101000);
	u8 *ram = malloc(RAM);
	memset(ram, 0xee, RAM);
	loader_place(img, size, &target, ram, &info);
	assert_int_equal(ram[0x100000], 1);
	assert_int_equal(ram[0x10001f], 0x20);
	assert_int_equal(ram[0x100020], 0); /* bss zeroed */
	assert_int_equal(ram[0x100fff], 0);
	assert_int_equal(ram[0x101000], 0xee);
	free(ram);
}

static void expect_bad(u32 size, const char *needle)
{
	struct image_info info;
	assert_false(loader_check(img, size, &target, &info, err, sizeof(err)));
	if (strstr(err, needle) == NULL) {
		fail_msg("message '%s' lacks '%s'", err, needle);
	}
}

static void test_elf_bad(void **state)
{
	(void)state;
	u32 size = make_elf(0x40100000, 0x1000);
	expect_bad(20, "shorter than an ELF header");
	eh()->machine = 62;
	expect_bad(size, "need an ARM executable");
	size = make_elf(0x40100000, 0x1000);
	eh()->ident[4] = 2;
	expect_bad(size, "not 32-bit");
	size = make_elf(0x40100000, 0x1000);
	eh()->phoff = 0x7ffffff0;
	expect_bad(size, "program headers");
	size = make_elf(0x40100000, 0x1000);
	eh()->phnum = 200;
	expect_bad(size, "program headers");
	size = make_elf(0x40100000, 0x1000);
	ph(0)->offset = 0x1f0;
	expect_bad(size, "outside the file");
	size = make_elf(0x40100000, 0x10);
	expect_bad(size, "more file bytes");
	size = make_elf(0x3ff00000, 0x1000);
	expect_bad(size, "does not fit in guest RAM");
	size = make_elf(0x40ff8000, 0x8000); /* runs into the DTB area at the top */
	expect_bad(size, "does not fit in guest RAM");
	size = make_elf(0xfffff000, 0x2000); /* wraps around */
	expect_bad(size, "does not fit in guest RAM");
	size = make_elf(0x40100000, 0x1000);
	ph(0)->type = 6;
	expect_bad(size, "no loadable segment");
	size = make_elf(0x40100000, 0x1000);
	eh()->entry = 0x1000;
	expect_bad(size, "in no loadable segment");
	size = make_elf(0x40100000, 0x1000);
	eh()->entry |= 1;
	expect_bad(size, "Thumb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_raw),
	    cmocka_unit_test(test_empty_and_too_large),
	    cmocka_unit_test(test_elf_good),
	    cmocka_unit_test(test_elf_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
