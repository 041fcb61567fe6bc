/* A deliberately unsafe command-line greeter, kept small for the flawfinder example. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char name[32];
    char greeting[64];
    char command[128];

    if (argc < 2) {
        return 1;
    }

    strcpy(name, argv[1]);
    sprintf(greeting, "Hello, %s!", name);
    printf("%s\n", greeting);

    snprintf(command, sizeof command, "echo %s >> greetings.log", name);
    system(command);
    return 0;
}
