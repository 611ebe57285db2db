/* libFuzzer harness for the guest image loader (hyp/src/loader.c), the code imgcheck runs on
 * the host and the hypervisor runs at boot.
 *
 * Input: two bytes choose the guest RAM size (GUEST_MEM_MIN..GUEST_MEM_MAX MiB, with the
 * DTB's room reserved as imgcheck and vm_boot do), one byte the size of the error buffer,
 * and the rest is the image (raw, or ELF when it starts with the ELF magic).
 *
 * The loader's decision is compared with the contract of hyp/loader.h, evaluated here from
 * the raw bytes: an image is accepted exactly when it is a non-empty raw image that fits
 * from GUEST_RAW_LOAD_IPA, or an ELF32 little-endian ARM executable whose program headers
 * lie in the file, whose loadable segments lie in the file and in guest RAM, and whose entry
 * point is an A32 address inside one of them. An accepted image's reported range must be the
 * segments' span and its entry inside it; loader_place must write exactly the segments (file
 * bytes, then zeros) into a buffer of exactly that span, nothing else. A refused image must
 * come with a printable, NUL-terminated message that stays inside the error buffer. */
#include "fuzz.h"
#include "hyp/layout.h"
#include "hyp/loader.h"

/* ELF32 fields (System V ABI): byte offsets in the file header and in a program header. */
#define E_IDENT_CLASS	4
#define E_IDENT_DATA	5
#define E_TYPE		16
#define E_MACHINE	18
#define E_VERSION	20
#define E_ENTRY		24
#define E_PHOFF		28
#define E_PHENTSIZE	42
#define E_PHNUM		44
#define EHDR_SIZE	52
#define P_TYPE		0
#define P_OFFSET	4
#define P_VADDR		8
#define P_PADDR		12
#define P_FILESZ	16
#define P_MEMSZ		20
#define PHDR_SIZE	32
#define ELF_CLASS32	1
#define ELF_DATA_LSB	1
#define ELF_EXEC	2
#define ELF_MACHINE_ARM 40
#define ELF_VERSION	1
#define ELF_PT_LOAD	1
#define MAX_PHDRS	64 /* the loader's documented limit */

#define ERR_MIN	   2   /* room for one character of message */
#define ERR_MAX	   200 /* the callers' buffers: 160 (vm_boot) and 200 (imgcheck) bytes */
#define ERR_CANARY 16
#define CANARY	   0x5a
#define POISON	   0xa5
/* loader_place is run when the image's span from the start of RAM is at most this. */
#define PLACE_MAX (1u * MiB)

/* One loadable segment, read from the raw bytes. */
struct seg {
	u32 offset, vaddr, paddr, filesz, memsz;
};

struct elf_view {
	u32 entry;
	u32 nseg;
	struct seg seg[MAX_PHDRS];
};

/* inside: [a, a+len) lies in [base, base+size). */
static bool inside(u64 a, u64 len, u64 base, u64 size)
{
	return a >= base && a + len <= base + size;
}

/* elf_acceptable: does the ELF image meet the loader's contract? Fills *v with its loadable
 * segments (PT_LOAD, memsz > 0) and *entry_ipa with the entry's IPA. */
static bool elf_acceptable(const u8 *img, u32 size, const struct load_target *t, struct elf_view *v,
			   u32 *entry_ipa)
{
	if (size < EHDR_SIZE || img[E_IDENT_CLASS] != ELF_CLASS32 ||
	    img[E_IDENT_DATA] != ELF_DATA_LSB || le_at(img + E_TYPE, 2) != ELF_EXEC ||
	    le_at(img + E_MACHINE, 2) != ELF_MACHINE_ARM ||
	    le_at(img + E_VERSION, 4) != ELF_VERSION) {
		return false;
	}
	u64 phoff = le_at(img + E_PHOFF, 4), phentsize = le_at(img + E_PHENTSIZE, 2);
	u64 phnum = le_at(img + E_PHNUM, 2);
	if (phnum == 0 || phnum > MAX_PHDRS || phentsize < PHDR_SIZE ||
	    !inside(phoff, phnum * phentsize, 0, size)) {
		return false;
	}
	v->entry = (u32)le_at(img + E_ENTRY, 4);
	v->nseg = 0;
	bool have_entry = false;
	for (u64 i = 0; i < phnum; i++) {
		const u8 *ph = img + phoff + i * phentsize;
		struct seg s = {(u32)le_at(ph + P_OFFSET, 4), (u32)le_at(ph + P_VADDR, 4),
				(u32)le_at(ph + P_PADDR, 4), (u32)le_at(ph + P_FILESZ, 4),
				(u32)le_at(ph + P_MEMSZ, 4)};
		if (le_at(ph + P_TYPE, 4) != ELF_PT_LOAD || s.memsz == 0) {
			continue;
		}
		if (s.filesz > s.memsz || !inside(s.offset, s.filesz, 0, size) ||
		    !inside(s.paddr, s.memsz, t->ram_ipa, t->usable)) {
			return false;
		}
		if ((u64)v->entry >= s.vaddr && (u64)v->entry < (u64)s.vaddr + s.memsz) {
			*entry_ipa = s.paddr + (v->entry - s.vaddr); /* the last such segment */
			have_entry = true;
		}
		v->seg[v->nseg++] = s;
	}
	return v->nseg > 0 && have_entry && (*entry_ipa & 3) == 0;
}

/* check_range: the reported range of an accepted image is the span of its segments. */
static void check_range(const struct image_info *info, const struct elf_view *v, u32 entry)
{
	u64 lo = ~0ull, hi = 0;
	for (u32 i = 0; i < v->nseg; i++) {
		u64 start = v->seg[i].paddr, end = start + v->seg[i].memsz;
		lo = start < lo ? start : lo;
		hi = end > hi ? end : hi;
	}
	FUZZ_CHECK(info->lowest_ipa == lo && info->highest_ipa == hi,
		   "range 0x%08x..0x%08x, segments span 0x%08llx..0x%08llx", info->lowest_ipa,
		   info->highest_ipa, lo, hi);
	FUZZ_CHECK(info->entry_ipa == entry, "entry 0x%08x, expected 0x%08x", info->entry_ipa,
		   entry);
}

/* check_place: loader_place writes each segment's memory image (its file bytes, then zeros
 * up to its memory size; a later segment over an earlier one) and nothing else, into a
 * buffer that ends exactly at the image's highest IPA. */
static void check_place(const u8 *img, u32 size, const struct load_target *t,
			const struct image_info *info, const struct elf_view *v)
{
	u32 span = info->highest_ipa - t->ram_ipa;
	if (span > PLACE_MAX) {
		return;
	}
	u8 *ram = malloc(span);
	u8 *want = malloc(span);
	memset(ram, POISON, span);
	memset(want, POISON, span);
	for (u32 i = 0; i < v->nseg; i++) {
		const struct seg *s = &v->seg[i];
		u8 *dst = want + (s->paddr - t->ram_ipa);
		memcpy(dst, img + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	loader_place(img, size, t, ram, info);
	if (memcmp(ram, want, span) != 0) {
		u32 a = 0;
		while (ram[a] == want[a]) {
			a++;
		}
		FUZZ_CHECK(false, "byte at IPA 0x%08x is 0x%02x, expected 0x%02x", a + t->ram_ipa,
			   ram[a], want[a]);
	}
	free(want);
	free(ram);
}

/* check_refusal: the message is non-empty, printable, terminated inside errlen bytes, and
 * the bytes after the buffer are untouched. */
static void check_refusal(const char *err, size_t errlen)
{
	size_t n = strnlen(err, errlen);
	FUZZ_CHECK(n > 0 && n < errlen, "message of %zu bytes in a buffer of %zu", n, errlen);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(err[i] >= ' ' && err[i] <= '~', "unprintable byte 0x%02x in \"%s\"",
			   (u8)err[i], err);
	}
	for (size_t i = errlen; i < ERR_MAX + ERR_CANARY; i++) {
		FUZZ_CHECK((u8)err[i] == CANARY, "byte %zu after a %zu-byte buffer written", i,
			   errlen);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	u32 mib_min = GUEST_MEM_MIN / MiB, mib_max = GUEST_MEM_MAX / MiB;
	u32 mib = mib_min + (u32)(fuzz_le(&in, 2) % (mib_max - mib_min + 1));
	size_t errlen = ERR_MIN + (size_t)(fuzz_le(&in, 1) % (ERR_MAX - ERR_MIN + 1));
	const struct load_target t = {GUEST_RAM_IPA, mib * MiB - GUEST_DTB_MAX};
	const u8 *img = in.p;
	u32 img_size = (u32)in.left;

	static struct elf_view v;
	u32 entry = GUEST_RAW_LOAD_IPA;
	bool elf = img_size >= 4 && memcmp(img, "\177ELF", 4) == 0;
	bool acceptable;
	if (elf) {
		acceptable = elf_acceptable(img, img_size, &t, &v, &entry);
	} else {
		v.nseg = 1;
		v.seg[0] =
		    (struct seg){0, GUEST_RAW_LOAD_IPA, GUEST_RAW_LOAD_IPA, img_size, img_size};
		acceptable =
		    img_size > 0 && inside(GUEST_RAW_LOAD_IPA, img_size, t.ram_ipa, t.usable);
	}

	char err[ERR_MAX + ERR_CANARY];
	memset(err, CANARY, sizeof(err));
	struct image_info info;
	bool ok = loader_check(img, img_size, &t, &info, err, errlen);
	FUZZ_CHECK(ok == acceptable, "%s %s image of %u bytes with %u MiB of RAM (%s)",
		   ok ? "accepted" : "refused", elf ? "an ELF" : "a raw", img_size, mib,
		   ok ? "it breaks the loader's contract" : err);
	if (!ok) {
		check_refusal(err, errlen);
		return 0;
	}
	FUZZ_CHECK(info.is_elf == elf, "is_elf %d", info.is_elf);
	check_range(&info, &v, entry);
	check_place(img, img_size, &t, &info, &v);
	return 0;
}
