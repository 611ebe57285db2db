/* Prints through the console, shows what the DTB told it, ends with status=<N> (default 0). */
#include "rt.h"

int main(void)
{
	u32 status = 0;
	rt_printf("hello from the guest\n");
	rt_printf("command line: '%s'\n", rt_bootargs());
	rt_printf("RAM: 0x%08x, %u MiB\n", rt_ram_base(), rt_ram_size() >> 20);
	rt_arg_u32("status", &status);
	rt_printf("exiting with status %u\n", status);
	return (int)status;
}
