/* imgcheck: check a guest image on the host with the hypervisor's own loader code, so that
 * `make run` refuses a bad image with the same message in every mode.
 * usage: imgcheck <image> <guest RAM MiB> */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp/layout.h"
#include "hyp/loader.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: imgcheck <image> <guest RAM MiB>\n");
		return 2;
	}
	char *end;
	unsigned long mib = strtoul(argv[2], &end, 10);
	if (*end != 0 || mib < GUEST_MEM_MIN / MiB || mib > GUEST_MEM_MAX / MiB) {
		fprintf(stderr,
			"error: MEM=%s: guest RAM must be a whole number of MiB from %u to %u\n",
			argv[2], GUEST_MEM_MIN / MiB, GUEST_MEM_MAX / MiB);
		return 1;
	}
	FILE *f = fopen(argv[1], "rb");
	if (f == NULL) {
		fprintf(stderr, "error: cannot open guest image %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	size_t cap = (size_t)mib * MiB + 1;
	unsigned char *buf = malloc(cap);
	size_t n = buf != NULL ? fread(buf, 1, cap, f) : 0;
	int rc = 0;
	char err[200];
	struct image_info info;
	const struct load_target t = {GUEST_RAM_IPA, (u32)(mib * MiB) - GUEST_DTB_MAX};
	if (buf == NULL || ferror(f)) {
		fprintf(stderr, "error: cannot read guest image %s\n", argv[1]);
		rc = 1;
	} else if (n == cap) {
		fprintf(stderr, "error: guest image %s is larger than guest RAM (%lu MiB)\n",
			argv[1], mib);
		rc = 1;
	} else if (!loader_check(buf, (u32)n, &t, &info, err, sizeof(err))) {
		fprintf(stderr, "error: guest image %s: %s\n", argv[1], err);
		rc = 1;
	} else {
		printf("%s entry=0x%08x load=0x%08x-0x%08x\n", info.is_elf ? "elf" : "raw",
		       info.entry_ipa, info.lowest_ipa, info.highest_ipa);
	}
	free(buf);
	fclose(f);
	return rc;
}
